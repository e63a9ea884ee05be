package io.suho.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fenced Java blocks of the project's Markdown: {@code README.md} and every {@code docs/*.md}.
 *
 * <p>A block opens with a line {@code ```java} (optionally followed by words, e.g. {@code ```java spring}) and
 * closes with the next line {@code ```}. See docs/testing.md, "Snippets in these docs", for the convention.
 */
final class MarkdownSnippets {

    private static final Pattern OPEN = Pattern.compile("^\\s*```java(?:\\s+(.*))?\\s*$");
    private static final Pattern CLOSE = Pattern.compile("^\\s*```\\s*$");

    /** One ```java block: where it is, its info words after "java" and its code. */
    record Snippet(String doc, int firstLine, List<String> tags, String code) {

        /** {@code docs/cache.md:42}: the Markdown line of the block's first code line. */
        String where() {
            return doc + ":" + firstLine;
        }

        boolean tagged(String tag) {
            return tags.contains(tag);
        }

        /** A package name unique to this block, so blocks may reuse class names. */
        String packageName() {
            String base = doc.replaceAll("\\.md$", "").replaceAll("[^A-Za-z0-9]", "_").toLowerCase(Locale.ROOT);
            return "snippets." + base + ".l" + firstLine;
        }
    }

    private MarkdownSnippets() {
    }

    /** The blocks of README.md and docs/*.md under {@code root}, in file order. */
    static List<Snippet> inProject(Path root) {
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Snippet> all = new ArrayList<>();
        for (Path file : files) {
            String doc = root.relativize(file).toString().replace('\\', '/');
            try {
                all.addAll(parse(doc, Files.readString(file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }

    /** The blocks of one Markdown text; an unclosed block is an error naming its line. */
    static List<Snippet> parse(String doc, String markdown) {
        List<Snippet> snippets = new ArrayList<>();
        String[] lines = markdown.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher open = OPEN.matcher(lines[i]);
            if (!open.matches()) {
                continue;
            }
            int start = i + 1;
            StringBuilder code = new StringBuilder();
            int j = start;
            while (j < lines.length && !CLOSE.matcher(lines[j]).matches()) {
                code.append(lines[j]).append('\n');
                j++;
            }
            if (j == lines.length) {
                throw new IllegalStateException(doc + ":" + (i + 1) + ": ```java block is never closed with ```");
            }
            String info = open.group(1) == null ? "" : open.group(1).trim();
            List<String> tags = info.isEmpty() ? List.of() : List.of(info.split("\\s+"));
            snippets.add(new Snippet(doc, start + 1, tags, code.toString()));
            i = j;
        }
        return snippets;
    }
}
