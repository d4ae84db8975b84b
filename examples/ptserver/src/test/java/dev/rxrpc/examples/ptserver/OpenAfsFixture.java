package dev.rxrpc.examples.ptserver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A session recorded from a real OpenAFS ptserver by scripts/record-openafs-fixtures.sh: each command with what it
 * printed on stdout ("> " lines) and stderr ("! " lines) and its exit status.
 */
record OpenAfsFixture(List<Step> steps) {

    /** One recorded command. {@code tool} is "pts" or "udebug"; exit is -1 where none was recorded. */
    record Step(String tool, List<String> args, String out, String err, int exit) {}

    static OpenAfsFixture load(String resource) throws IOException {
        try (InputStream in = OpenAfsFixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            List<Step> steps = new ArrayList<>();
            String tool = null;
            List<String> args = List.of();
            StringBuilder out = new StringBuilder();
            StringBuilder err = new StringBuilder();
            int exit = -1;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (line.startsWith("$ ")) {
                    if (tool != null) {
                        steps.add(new Step(tool, args, out.toString(), err.toString(), exit));
                    }
                    String[] words = line.substring(2).trim().split("\\s+");
                    tool = words[0];
                    args = List.of(words).subList(1, words.length);
                    out.setLength(0);
                    err.setLength(0);
                    exit = -1;
                } else if (line.startsWith("> ") || line.equals(">")) {
                    out.append(line.length() > 2 ? line.substring(2) : "").append('\n');
                } else if (line.startsWith("! ") || line.equals("!")) {
                    err.append(line.length() > 2 ? line.substring(2) : "").append('\n');
                } else if (line.startsWith("exit ")) {
                    exit = Integer.parseInt(line.substring(5).trim());
                }
            }
            if (tool != null) {
                steps.add(new Step(tool, args, out.toString(), err.toString(), exit));
            }
            return new OpenAfsFixture(steps);
        }
    }

    /**
     * A line's shape: the text before its first digit, with dotted-quad addresses and times cut the same way. Two
     * udebug outputs have the same shape when they print the same lines in the same order.
     */
    static List<String> shape(String output) {
        List<String> shapes = new ArrayList<>();
        for (String line : output.split("\n")) {
            int cut = 0;
            while (cut < line.length() && !Character.isDigit(line.charAt(cut))) {
                cut++;
            }
            // A date starts with the weekday and month names ("Local time is Sat Nov 28 ..."): they are data too,
            // and a shape that kept them failed on every day but the capture's.
            int time = line.indexOf("time is ");
            if (time >= 0) {
                cut = Math.min(cut, time + "time is ".length());
            }
            shapes.add(line.substring(0, cut));
        }
        return shapes;
    }
}
