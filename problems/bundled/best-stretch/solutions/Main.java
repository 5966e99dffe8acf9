// Kadane's algorithm in long, with a byte tokenizer (Scanner is too slow for 200000 numbers).
import java.io.DataInputStream;
import java.io.IOException;

public class Main {
    private static final DataInputStream in = new DataInputStream(System.in);
    private static final byte[] buffer = new byte[1 << 16];
    private static int length = 0, position = 0;

    private static int read() throws IOException {
        if (position == length) {
            length = in.read(buffer, 0, buffer.length);
            position = 0;
            if (length <= 0) return -1;
        }
        return buffer[position++];
    }

    private static long next() throws IOException {
        int c = read();
        while (c == ' ' || c == '\n' || c == '\r') c = read();
        boolean negative = c == '-';
        if (negative) c = read();
        long value = 0;
        for (; c >= '0' && c <= '9'; c = read()) value = value * 10 + (c - '0');
        return negative ? -value : value;
    }

    public static void main(String[] args) throws IOException {
        int n = (int) next();
        long best = Long.MIN_VALUE, run = 0;
        for (int i = 0; i < n; i++) {
            long a = next();
            run = Math.max(run + a, a);
            best = Math.max(best, run);
        }
        System.out.println(best);
    }
}
