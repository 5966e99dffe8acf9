import java.util.*;

// Wrong: adds the heights in an int, which overflows once the stacks are tall.
public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        int t = in.nextInt();
        StringBuilder out = new StringBuilder();
        while (t-- > 0) {
            int n = in.nextInt();
            int sum = 0, best = 0;
            for (int i = 0; i < n; i++) {
                int a = in.nextInt();
                sum += a;
                best = Math.max(best, a);
            }
            out.append((long) best * n - sum).append('\n');
        }
        System.out.print(out);
    }
}
