import java.io.*;

// Reference: rolling one-row dp modulo 1e9+7.
public class Main {
    public static void main(String[] args) throws IOException {
        final long MOD = 1_000_000_007L;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String[] first = in.readLine().trim().split("\\s+");
        int n = Integer.parseInt(first[0]), m = Integer.parseInt(first[1]);
        long[] dp = new long[m];
        for (int i = 0; i < n; i++) {
            String line = in.readLine().trim();
            for (int j = 0; j < m; j++) {
                if (line.charAt(j) == '#') dp[j] = 0;
                else if (i == 0 && j == 0) dp[j] = 1;
                else dp[j] = (dp[j] + (j > 0 ? dp[j - 1] : 0)) % MOD;
            }
        }
        System.out.println(dp[m - 1]);
    }
}
