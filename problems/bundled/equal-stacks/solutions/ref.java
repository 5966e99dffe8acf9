import java.io.*;
import java.util.*;

// Reference: n * max - sum, with a fast tokenizer.
public class Main {
    public static void main(String[] args) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in, 1 << 16));
        int t = (int) next(in);
        StringBuilder out = new StringBuilder();
        while (t-- > 0) {
            int n = (int) next(in);
            long sum = 0, best = 0;
            for (int i = 0; i < n; i++) {
                long a = next(in);
                sum += a;
                best = Math.max(best, a);
            }
            out.append(best * n - sum).append('\n');
        }
        System.out.print(out);
    }

    private static long next(DataInputStream in) throws IOException {
        int c = in.read();
        while (c == ' ' || c == '\n' || c == '\r') c = in.read();
        boolean negative = c == '-';
        if (negative) c = in.read();
        long value = 0;
        while (c >= '0' && c <= '9') {
            value = value * 10 + (c - '0');
            c = in.read();
        }
        return negative ? -value : value;
    }
}
