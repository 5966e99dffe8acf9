import java.io.*;

// Too slow: counts the routes by plain recursion without memoisation, one route at a time.
public class Main {
    static int n, m;
    static char[][] grid;

    static long routes(int i, int j) {
        if (i >= n || j >= m || grid[i][j] == '#') return 0;
        if (i == n - 1 && j == m - 1) return 1;
        return (routes(i + 1, j) + routes(i, j + 1)) % 1_000_000_007L;
    }

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String[] first = in.readLine().trim().split("\\s+");
        n = Integer.parseInt(first[0]);
        m = Integer.parseInt(first[1]);
        grid = new char[n][];
        for (int i = 0; i < n; i++) grid[i] = in.readLine().trim().toCharArray();
        System.out.println(routes(0, 0));
    }
}
