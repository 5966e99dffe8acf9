import java.io.*;
import java.util.*;

// Reference: recursive merge sort counting inversions into a long.
public class Main {
    static long[] buffer;

    static long sortCount(long[] a, int lo, int hi) {
        if (hi - lo < 2) return 0;
        int mid = (lo + hi) >>> 1;
        long count = sortCount(a, lo, mid) + sortCount(a, mid, hi);
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi) {
            if (a[j] < a[i]) {
                count += mid - i;
                buffer[k++] = a[j++];
            } else {
                buffer[k++] = a[i++];
            }
        }
        while (i < mid) buffer[k++] = a[i++];
        while (j < hi) buffer[k++] = a[j++];
        System.arraycopy(buffer, lo, a, lo, hi - lo);
        return count;
    }

    public static void main(String[] args) throws IOException {
        StreamTokenizer in = new StreamTokenizer(new BufferedInputStream(System.in));
        in.nextToken();
        int t = (int) in.nval;
        StringBuilder out = new StringBuilder();
        while (t-- > 0) {
            in.nextToken();
            int n = (int) in.nval;
            long[] a = new long[n];
            for (int i = 0; i < n; i++) {
                in.nextToken();
                a[i] = (long) in.nval;  // values up to 1e9 are exact in a double
            }
            buffer = new long[n];
            out.append(sortCount(a, 0, n)).append('\n');
        }
        System.out.print(out);
    }
}
