import java.io.*;
import java.util.*;

// Reference: Kahn's algorithm over adjacency lists stored in arrays.
public class Main {
    public static void main(String[] args) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in, 1 << 16));
        int n = nextInt(in), m = nextInt(in);
        int[] from = new int[m], to = new int[m], start = new int[n + 2], indegree = new int[n + 1];
        for (int i = 0; i < m; i++) {
            from[i] = nextInt(in);
            to[i] = nextInt(in);
            start[from[i]]++;
            indegree[to[i]]++;
        }
        for (int v = 1; v <= n + 1; v++) start[v] += start[v - 1];
        int[] next = new int[m];
        for (int i = 0; i < m; i++) next[--start[from[i]]] = to[i];
        int[] order = new int[n];
        int size = 0;
        for (int v = 1; v <= n; v++) if (indegree[v] == 0) order[size++] = v;
        for (int head = 0; head < size; head++) {
            int u = order[head];
            for (int k = start[u]; k < start[u + 1]; k++)
                if (--indegree[next[k]] == 0) order[size++] = next[k];
        }
        if (size != n) {
            System.out.println(-1);
            return;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) out.append(order[i]).append(i + 1 == n ? '\n' : ' ');
        System.out.print(out);
    }

    private static int nextInt(DataInputStream in) throws IOException {
        int c = in.read();
        while (c < '0' || c > '9') c = in.read();
        int value = 0;
        while (c >= '0' && c <= '9') {
            value = value * 10 + (c - '0');
            c = in.read();
        }
        return value;
    }
}
