import java.io.*;
import java.util.*;

// Reference: monotone chain on points sorted by (x, y), long cross products.
public class Main {
    static long cross(long[] o, long[] a, long[] b) {
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    }

    public static void main(String[] args) throws IOException {
        StreamTokenizer in = new StreamTokenizer(new BufferedInputStream(System.in));
        in.nextToken();
        int n = (int) in.nval;
        long[][] p = new long[n][2];
        for (int i = 0; i < n; i++) {
            in.nextToken();
            p[i][0] = (long) in.nval;
            in.nextToken();
            p[i][1] = (long) in.nval;
        }
        Arrays.sort(p, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        long[][] hull = new long[2 * n + 1][];
        int k = 0;
        for (int i = 0; i < n; i++) {
            while (k >= 2 && cross(hull[k - 2], hull[k - 1], p[i]) <= 0) k--;
            hull[k++] = p[i];
        }
        for (int i = n - 2, low = k + 1; i >= 0; i--) {
            while (k >= low && cross(hull[k - 2], hull[k - 1], p[i]) <= 0) k--;
            hull[k++] = p[i];
        }
        double length = 0;
        for (int i = 1; i < k; i++)
            length += Math.hypot(hull[i][0] - hull[i - 1][0], hull[i][1] - hull[i - 1][1]);
        System.out.printf("%.9f%n", length);
    }
}
