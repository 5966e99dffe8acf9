import java.io.*;
import java.util.*;

// Reference: HashMap from value to index, one pass.
public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in), 1 << 16);
        StringTokenizer st = new StringTokenizer(in.readLine());
        int n = Integer.parseInt(st.nextToken());
        long s = Long.parseLong(st.nextToken());
        HashMap<Long, Integer> seen = new HashMap<>();
        st = new StringTokenizer(in.readLine());
        for (int j = 1; j <= n; j++) {
            long x = Long.parseLong(st.nextToken());
            Integer i = seen.get(s - x);
            if (i != null) {
                System.out.println(i + " " + j);
                return;
            }
            seen.putIfAbsent(x, j);
        }
        System.out.println(-1);
    }
}
