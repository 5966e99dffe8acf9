import java.io.*;
import java.util.*;

// Memory-hungry: a table over (position, balance) of size (n+1) x (n+2) ints (0: the suffix
// cannot close the balance, 1/2: it can, starting with '(' / ')'), then a forward walk.
// Correct, but n = 18000 needs about 1.3 GB.
public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        int t = Integer.parseInt(in.readLine().trim());
        StringBuilder out = new StringBuilder();
        while (t-- > 0) {
            String s = in.readLine().trim();
            int n = s.length();
            int[][] way = new int[n + 1][n + 2];  // way[i][b] != 0: the suffix from i closes b
            way[n][0] = 1;
            for (int i = n - 1; i >= 0; i--) {
                char c = s.charAt(i);
                for (int b = 0; b <= n; b++) {
                    if (c != ')' && way[i + 1][b + 1] != 0) way[i][b] = 1;
                    else if (c != '(' && b > 0 && way[i + 1][b - 1] != 0) way[i][b] = 2;
                }
            }
            if (way[0][0] == 0) {
                out.append("-1\n");
                continue;
            }
            StringBuilder filled = new StringBuilder();
            int b = 0;
            for (int i = 0; i < n; i++) {
                if (way[i][b] == 1) {
                    filled.append('(');
                    b++;
                } else {
                    filled.append(')');
                    b--;
                }
            }
            out.append(filled).append('\n');
        }
        System.out.print(out);
    }
}
