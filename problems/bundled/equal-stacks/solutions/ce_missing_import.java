// Compile error: uses Scanner without importing java.util.
public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        int t = in.nextInt();
        while (t-- > 0) {
            int n = in.nextInt();
            long sum = 0, best = 0;
            for (int i = 0; i < n; i++) {
                long a = in.nextLong();
                sum += a;
                best = Math.max(best, a);
            }
            System.out.println(best * n - sum);
        }
    }
}
