package com.databox.cmk.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * JFR profiles of the app: recordings started and stopped with jcmd, and each one's summary put into the
 * results (profiles in results.json), into profile-KEY.txt and onto the console.
 */
final class Profiles {
    private Profiles() {}

    /** Runs jcmd on the process, e.g. {@code JFR.start name=audit settings=profile}. */
    static void jcmd(long pid, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        command.add(Long.toString(pid));
        command.addAll(List.of(arguments));
        JfrSummary.run(command);
    }

    static void report(RunContext run, String key, String title, Path recording) throws IOException {
        JfrSummary profile = JfrSummary.of(recording, 10);
        ObjectNode p = run.report().extra.with("profiles").putObject(key);
        p.put("recording", run.out().relativize(recording).toString())
                .put("sampleEvent", profile.event)
                .put("samples", profile.samples);
        putShares(p.putArray("topMethods"), profile.topMethods);
        putShares(p.putArray("topPackages"), profile.topPackages);
        putShares(p.putArray("topServiceFrames"), profile.topAppFrames);
        StringBuilder text =
                new StringBuilder(title + " (JFR, " + profile.samples + " " + profile.event + " events)\n");
        appendShares(text, "top methods (top frame)", profile.topMethods);
        appendShares(text, "top packages (top frame)", profile.topPackages);
        appendShares(text, "first com.databox frame on the stack", profile.topAppFrames);
        Files.writeString(run.out().resolve("profile-" + key + ".txt"), text + "\n" + JfrSummary.summary(recording));
        System.out.println(text);
        p.put("text", text.toString());
    }

    private static void putShares(ArrayNode array, List<JfrSummary.Share> shares) {
        shares.forEach(sh -> array.addObject()
                .put("name", sh.name())
                .put("samples", sh.samples())
                .put("percent", Math.round(sh.percent() * 10) / 10.0));
    }

    private static void appendShares(StringBuilder text, String title, List<JfrSummary.Share> shares) {
        text.append("  ").append(title).append(":\n");
        shares.forEach(sh -> text.append(String.format(Locale.ROOT, "    %5.1f%%  %s%n", sh.percent(), sh.name())));
    }
}
