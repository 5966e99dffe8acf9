import java.io.*;
import java.util.*;

// Compile error: assigns a String to an int and never declares `grid`.
public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new FileReader("input.txt"));
        int n = in.readLine();
        grid = new boolean[n][n];
        System.out.println(n);
    }
}
