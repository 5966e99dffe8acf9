import java.util.*;

// Compile error: generic array creation is not allowed in Java.
public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        int n = in.nextInt(), m = in.nextInt();
        List<Long>[] dp = new ArrayList<Long>[n];
        System.out.println(dp.length + m);
    }
}
