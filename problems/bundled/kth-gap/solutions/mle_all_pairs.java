import java.io.*;
import java.util.*;

// Memory-hungry: writes all n(n-1)/2 gaps into one long[] and sorts it; 400 MB for n = 10^4
// (OutOfMemoryError under a 256 MB heap).
public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        StringTokenizer st = new StringTokenizer(in.readLine());
        int n = Integer.parseInt(st.nextToken());
        long k = Long.parseLong(st.nextToken());
        long[] a = new long[n];
        st = new StringTokenizer(in.readLine());
        for (int i = 0; i < n; i++) a[i] = Long.parseLong(st.nextToken());
        long[] gaps = new long[(int) ((long) n * (n - 1) / 2)];
        int size = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) gaps[size++] = Math.abs(a[i] - a[j]);
        Arrays.sort(gaps);
        System.out.println(gaps[(int) (k - 1)]);
    }
}
