import java.io.*;
import java.util.*;

// Reference: running prefix sum in long.
public class Main {
    public static void main(String[] args) throws IOException {
        StreamTokenizer in = new StreamTokenizer(new BufferedInputStream(System.in));
        in.resetSyntax();
        in.wordChars('-', '-');
        in.wordChars('0', '9');
        in.whitespaceChars(0, ' ');
        int t = nextInt(in);
        StringBuilder out = new StringBuilder();
        while (t-- > 0) {
            int n = nextInt(in);
            long[] a = new long[n];
            long total = 0;
            for (int i = 0; i < n; i++) {
                a[i] = Long.parseLong(next(in));
                total += a[i];
            }
            long prefix = 0;
            boolean ok = false;
            for (int k = 0; k + 1 < n && !ok; k++) {
                prefix += a[k];
                ok = 2 * prefix == total;
            }
            out.append(ok ? "YES" : "NO").append('\n');
        }
        System.out.print(out);
    }

    private static String next(StreamTokenizer in) throws IOException {
        in.nextToken();
        return in.sval;
    }

    private static int nextInt(StreamTokenizer in) throws IOException {
        return Integer.parseInt(next(in));
    }
}
