import java.util.*;

// Compile error: a method declared to return double has a path without a return.
public class Main {
    static double length(long dx, long dy) {
        if (dx != 0 || dy != 0) return Math.hypot(dx, dy);
    }

    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        int n = in.nextInt();
        System.out.println(length(n, 0));
    }
}
