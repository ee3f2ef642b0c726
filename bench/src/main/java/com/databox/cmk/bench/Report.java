package com.databox.cmk.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The results: rows (value against its floor, measured in the same run), targets, notes. */
final class Report {
    /** One measurement; floor and ratio may be absent. */
    record Row(
            String section,
            String measure,
            double value,
            String unit,
            Double floor,
            String floorName,
            Double ratio,
            String note) {}

    record Target(String target, boolean met, String evidence) {}

    final List<Row> rows = new ArrayList<>();
    final List<Target> targets = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final ObjectNode extra = Http.JSON.createObjectNode();

    void add(String section, String measure, double value, String unit, Double floor, String floorName, String note) {
        Double ratio = floor == null || floor == 0 ? null : value / floor;
        rows.add(new Row(section, measure, value, unit, floor, floorName, ratio, note));
        System.out.println("  " + measure + ": " + fmt(value) + " " + unit
                + (floor == null ? "" : "  (floor " + floorName + " " + fmt(floor) + ", ratio " + fmt(ratio) + ")")
                + (note == null ? "" : "  " + note));
    }

    void target(String target, boolean met, String evidence) {
        targets.add(new Target(target, met, evidence));
    }

    static String fmt(Double v) {
        if (v == null) {
            return "";
        }
        double a = Math.abs(v);
        return a >= 100
                ? String.format(Locale.ROOT, "%.0f", v)
                : a >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("| section | measure | value | floor | ratio | note |\n|---|---|---:|---|---:|---|\n");
        for (Row r : rows) {
            md.append("| ")
                    .append(r.section())
                    .append(" | ")
                    .append(r.measure())
                    .append(" | ")
                    .append(fmt(r.value()))
                    .append(' ')
                    .append(r.unit())
                    .append(" | ")
                    .append(r.floor() == null ? "" : r.floorName() + ": " + fmt(r.floor()) + " " + r.unit())
                    .append(" | ")
                    .append(r.ratio() == null ? "" : fmt(r.ratio()) + "×")
                    .append(" | ")
                    .append(r.note() == null ? "" : r.note())
                    .append(" |\n");
        }
        md.append("\n| target | met | measured |\n|---|---|---|\n");
        for (Target t : targets) {
            md.append("| ")
                    .append(t.target())
                    .append(" | ")
                    .append(t.met() ? "met" : "**missed**")
                    .append(" | ")
                    .append(t.evidence())
                    .append(" |\n");
        }
        return md.toString();
    }

    /** A plain-text table for the terminal. */
    String text() {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"section", "measure", "value", "floor", "ratio", "note"});
        for (Row r : rows) {
            cells.add(new String[] {
                r.section(),
                r.measure(),
                fmt(r.value()) + " " + r.unit(),
                r.floor() == null ? "" : r.floorName() + " " + fmt(r.floor()),
                r.ratio() == null ? "" : fmt(r.ratio()) + "x",
                r.note() == null ? "" : r.note()
            });
        }
        int[] width = new int[6];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], Math.min(row[i].length(), i == 5 ? 70 : 60));
            }
        }
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < cells.size(); n++) {
            String[] row = cells.get(n);
            for (int i = 0; i < row.length; i++) {
                out.append(String.format("%-" + width[i] + "s", row[i])).append(i < row.length - 1 ? " | " : "");
            }
            out.append('\n');
            if (n == 0) {
                int total = Arrays.stream(width).sum() + 15;
                out.append("-".repeat(total)).append('\n');
            }
        }
        out.append('\n');
        for (Target t : targets) {
            out.append(t.met() ? "[met]    " : "[MISSED] ")
                    .append(t.target())
                    .append(": ")
                    .append(t.evidence())
                    .append('\n');
        }
        for (String note : notes) {
            out.append("note: ").append(note).append('\n');
        }
        return out.toString();
    }

    void write(Path json, Path md, ObjectNode header) {
        ObjectNode root = header.deepCopy();
        ArrayNode rowsJson = root.putArray("rows");
        for (Row r : rows) {
            ObjectNode o = rowsJson.addObject()
                    .put("section", r.section())
                    .put("measure", r.measure())
                    .put("value", r.value())
                    .put("unit", r.unit());
            if (r.floor() != null) {
                o.put("floor", r.floor()).put("floorName", r.floorName()).put("ratio", r.ratio());
            }
            if (r.note() != null) {
                o.put("note", r.note());
            }
        }
        ArrayNode targetsJson = root.putArray("targets");
        targets.forEach(t -> targetsJson
                .addObject()
                .put("target", t.target())
                .put("met", t.met())
                .put("evidence", t.evidence()));
        ArrayNode notesJson = root.putArray("notes");
        notes.forEach(notesJson::add);
        root.setAll(extra);
        try {
            Files.createDirectories(json.getParent());
            Files.writeString(json, Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            Files.writeString(md, header.path("heading").asText("") + "\n\n" + markdown());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
