import java.io.*;

// Reference: binary search; PrintWriter is flushed after every line.
public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out)));
        int games = Integer.parseInt(in.readLine().trim());
        for (int g = 0; g < games; g++) {
            long n = Long.parseLong(in.readLine().trim());
            if (n < 0) return;
            long lo = 1, hi = n;
            while (lo < hi) {
                long mid = lo + (hi - lo + 1) / 2;
                out.println("? " + mid);
                out.flush();
                String reply = in.readLine();
                if (reply == null || reply.trim().equals("-1")) return;
                if (reply.trim().equals(">=")) lo = mid;
                else hi = mid - 1;
            }
            out.println("! " + lo);
            out.flush();
        }
    }
}
