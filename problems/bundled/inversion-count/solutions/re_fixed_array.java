import java.io.*;
import java.util.*;

// Runtime error: the array is sized for 1000 elements, so longer arrays throw
// ArrayIndexOutOfBoundsException.
public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        int t = Integer.parseInt(in.readLine().trim());
        long[] a = new long[1000];
        StringBuilder out = new StringBuilder();
        while (t-- > 0) {
            int n = Integer.parseInt(in.readLine().trim());
            StringTokenizer st = new StringTokenizer(in.readLine());
            for (int i = 0; i < n; i++) a[i] = Long.parseLong(st.nextToken());
            long count = 0;
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++)
                    if (a[i] > a[j]) count++;
            out.append(count).append('\n');
        }
        System.out.print(out);
    }
}
