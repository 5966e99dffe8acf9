import java.io.*;
import java.util.*;

// Reference: the grid with per-row and per-column counts, O(n + m) per toggle.
public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new FileReader("input.txt"));
        StringTokenizer st = new StringTokenizer(in.readLine());
        int n = Integer.parseInt(st.nextToken()), m = Integer.parseInt(st.nextToken());
        int q = Integer.parseInt(st.nextToken());
        boolean[][] lit = new boolean[n][m];
        int[] row = new int[n], col = new int[m];
        long total = 0;
        for (int i = 0; i < n; i++) {
            String line = in.readLine().trim();
            for (int j = 0; j < m; j++) {
                if (line.charAt(j) == '1') {
                    lit[i][j] = true;
                    row[i]++;
                    col[j]++;
                    total++;
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (int step = 0; step < q; step++) {
            st = new StringTokenizer(in.readLine());
            char kind = st.nextToken().charAt(0);
            int k = Integer.parseInt(st.nextToken()) - 1;
            if (kind == 'R') {
                total += m - 2 * row[k];
                row[k] = m - row[k];
                for (int j = 0; j < m; j++) {
                    col[j] += lit[k][j] ? -1 : 1;
                    lit[k][j] = !lit[k][j];
                }
            } else {
                total += n - 2 * col[k];
                col[k] = n - col[k];
                for (int i = 0; i < n; i++) {
                    row[i] += lit[i][k] ? -1 : 1;
                    lit[i][k] = !lit[i][k];
                }
            }
            out.append(total).append('\n');
        }
        try (PrintWriter writer = new PrintWriter(new FileWriter("output.txt"))) {
            writer.print(out);
        }
    }
}
