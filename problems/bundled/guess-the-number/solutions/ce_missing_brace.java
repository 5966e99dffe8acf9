import java.io.*;

// Compile error: the while loop is never closed.
public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        int games = Integer.parseInt(in.readLine().trim());
        while (games-- > 0) {
            System.out.println("! 1");
    }
}
