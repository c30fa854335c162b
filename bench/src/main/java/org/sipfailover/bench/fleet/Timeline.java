// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.fleet;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws one run as a PNG with the JDK alone (headless AWT and ImageIO): the number of lines bound at the primary
 * and at the backup over time, faults and repairs marked with vertical lines, and optionally the client JVM's heap
 * on a second axis.
 */
final class Timeline {

    /** A fault or repair at a time, labelled. */
    record Mark(long atMillis, String label) {}

    /** A heap reading. */
    record HeapPoint(long atMillis, double mb) {}

    private static final int W = 1200;
    private static final int H = 520;
    private static final int LEFT = 70;
    private static final int RIGHT = 70;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    private Timeline() {}

    static void draw(
            Path png, String title, int lines, List<TableSampler.Point> points, List<Mark> marks, List<HeapPoint> heap)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (points.isEmpty()) {
            return;
        }
        long t0 = points.get(0).atMillis();
        long t1 = points.get(points.size() - 1).atMillis();
        double span = Math.max(1, t1 - t0) / 1000.0;
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        // axes and grid
        g.setColor(new Color(230, 230, 230));
        for (int i = 0; i <= 4; i++) {
            int y = TOP + ph - ph * i / 4;
            g.drawLine(LEFT, y, LEFT + pw, y);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, pw, ph);
        for (int i = 0; i <= 4; i++) {
            int y = TOP + ph - ph * i / 4;
            double v = lines * i / 4.0;
            String label = v == Math.rint(v) ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%.2f", v);
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        double step = niceStep(span / 10);
        for (double s = 0; s <= span; s += step) {
            int x = LEFT + (int) (pw * s / span);
            g.drawLine(x, TOP + ph, x, TOP + ph + 4);
            String label = step < 1 ? String.format(Locale.ROOT, "%.1f", s) : Long.toString(Math.round(s));
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, TOP + ph + 18);
        }
        g.drawString("time (s)", LEFT + pw / 2 - 20, H - 22);
        g.drawString("lines bound", 8, TOP - 10);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT + 100, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        // fault marks
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
        int row = 0;
        for (Mark m : marks) {
            if (m.atMillis() < t0 || m.atMillis() > t1) {
                continue;
            }
            int x = LEFT + (int) (pw * ((m.atMillis() - t0) / 1000.0) / span);
            g.setColor(new Color(200, 0, 0));
            g.drawLine(x, TOP, x, TOP + ph);
            g.drawString(m.label(), x + 3, TOP + 12 + 12 * (row++ % 4));
        }
        g.setStroke(new BasicStroke(2f));
        series(g, points, t0, span, pw, ph, lines, new Color(0, 90, 200), 0);
        series(g, points, t0, span, pw, ph, lines, new Color(0, 150, 60), 1);
        series(g, points, t0, span, pw, ph, lines, new Color(120, 120, 120), 2);
        if (!heap.isEmpty()) {
            double maxMb = heap.stream().mapToDouble(HeapPoint::mb).max().orElse(1) * 1.1;
            g.setColor(new Color(170, 90, 0));
            g.setStroke(new BasicStroke(1.5f));
            int px = -1;
            int py = -1;
            for (HeapPoint h : heap) {
                int x = LEFT + (int) (pw * ((h.atMillis() - t0) / 1000.0) / span);
                int y = TOP + ph - (int) (ph * h.mb() / maxMb);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            for (int i = 0; i <= 4; i++) {
                int y = TOP + ph - ph * i / 4;
                g.drawString(String.format(Locale.ROOT, "%.0f MB", maxMb * i / 4), LEFT + pw + 6, y + 4);
            }
        }
        // legend
        int lx = LEFT + 10;
        int ly = H - 8;
        legend(g, lx, ly, new Color(0, 90, 200), "bound at primary");
        legend(g, lx + 170, ly, new Color(0, 150, 60), "bound at backup");
        legend(g, lx + 340, ly, new Color(120, 120, 120), "bound at a live registrar");
        if (!heap.isEmpty()) {
            legend(g, lx + 560, ly, new Color(170, 90, 0), "heap (right axis)");
        }
        legend(g, lx + 740, ly, new Color(200, 0, 0), "fault / repair");
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
    }

    private static void series(
            Graphics2D g,
            List<TableSampler.Point> points,
            long t0,
            double span,
            int pw,
            int ph,
            int lines,
            Color c,
            int which) {
        g.setColor(c);
        int px = -1;
        int py = -1;
        for (TableSampler.Point p : points) {
            int v = which == 0 ? p.primary() : which == 1 ? p.backup() : p.anywhere();
            int x = LEFT + (int) (pw * ((p.atMillis() - t0) / 1000.0) / span);
            // the gray "anywhere" line sits 1 px lower so that it shows where it equals another
            int y = TOP + ph - (int) ((double) ph * v / Math.max(1, lines)) + (which == 2 ? 2 : 0);
            if (px >= 0) {
                // a step: the count holds until the next sample
                g.drawLine(px, py, x, py);
                g.drawLine(x, py, x, y);
            }
            px = x;
            py = y;
        }
    }

    private static void legend(Graphics2D g, int x, int y, Color c, String text) {
        g.setColor(c);
        g.fillRect(x, y - 9, 14, 8);
        g.setColor(Color.BLACK);
        g.drawString(text, x + 18, y);
    }

    private static double niceStep(double raw) {
        double[] steps = {0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600};
        for (double s : steps) {
            if (s >= raw) {
                return s;
            }
        }
        return 1200;
    }
}
