package io.suho.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ```java block of README.md and docs/*.md compiles as written against the SDK: one dynamic test per block,
 * failing with the Markdown file, line and javac's message.
 */
class DocSnippetsTest {

    /** Blocks tagged {@code spring} need Spring Boot on this module's test classpath. */
    private static final String SPRING_MARKER = "org.springframework.boot.SpringApplication";

    static Path projectRoot() {
        String root = System.getProperty("suho.docs.root");
        Path path = root == null ? Path.of("..") : Path.of(root);
        return path.toAbsolutePath().normalize();
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompiles(@TempDir Path out) {
        List<MarkdownSnippets.Snippet> all = MarkdownSnippets.inProject(projectRoot());
        assertThat(all).as("```java blocks found in README.md and docs/").hasSizeGreaterThan(10);
        boolean spring = onClasspath(SPRING_MARKER);
        List<MarkdownSnippets.Snippet> compiled = new ArrayList<>();
        for (MarkdownSnippets.Snippet s : all) {
            if (s.tagged("spring") && !spring) {
                System.out.println("NOT COMPILED " + s.where() + ": ```java spring block, and Spring Boot is not on "
                        + "suho-docs-tests' test classpath (add the starter as a test dependency)");
            } else {
                compiled.add(s);
            }
        }
        Map<MarkdownSnippets.Snippet, List<String>> errors =
                SnippetCompiler.compile(compiled, SnippetCompiler.testClasspath(), out);
        return compiled.stream().map(s -> DynamicTest.dynamicTest(s.where(), () ->
                assertThat(errors.get(s))
                        .as("%s does not compile as written (convention: docs/testing.md, 'Snippets in these docs')",
                                s.where())
                        .isEmpty()));
    }

    @Test
    void aBrokenBlockIsReportedAtItsMarkdownLine(@TempDir Path out) {
        String markdown = String.join("\n",
                "# A page", "", "```java", "import java.util.List;", "", "class Broken {",
                "    List<String> names = List.of(1);", "}", "```", "",
                "```java", "class Fine {", "}", "```", "");
        List<MarkdownSnippets.Snippet> snippets = MarkdownSnippets.parse("docs/page.md", markdown);
        assertThat(snippets).extracting(MarkdownSnippets.Snippet::firstLine).containsExactly(4, 12);

        Map<MarkdownSnippets.Snippet, List<String>> errors =
                SnippetCompiler.compile(snippets, SnippetCompiler.testClasspath(), out);

        assertThat(errors.get(snippets.get(0))).singleElement().asString().startsWith("docs/page.md:7: ");
        assertThat(errors.get(snippets.get(1))).isEmpty();
    }

    @Test
    void aFragmentWithoutImportsOrClassFails(@TempDir Path out) {
        List<MarkdownSnippets.Snippet> snippets = MarkdownSnippets.parse("docs/page.md",
                "```java\nSuhoClients suho = SuhoClients.builder().build();\n```\n");

        Map<MarkdownSnippets.Snippet, List<String>> errors =
                SnippetCompiler.compile(snippets, SnippetCompiler.testClasspath(), out);

        assertThat(errors.get(snippets.get(0))).isNotEmpty();
    }

    @Test
    void anUnclosedBlockIsAnError() {
        assertThatThrownBy(() -> MarkdownSnippets.parse("docs/page.md", "text\n```java\nclass A {}\n"))
                .hasMessageContaining("docs/page.md:2");
    }

    @Test
    void infoWordsAfterJavaAreTags() {
        List<MarkdownSnippets.Snippet> snippets =
                MarkdownSnippets.parse("README.md", "```java spring\nclass A {}\n```\n```javascript\nx\n```\n");
        assertThat(snippets).singleElement().satisfies(s -> assertThat(s.tagged("spring")).isTrue());
    }

    private static boolean onClasspath(String className) {
        try {
            Class.forName(className, false, DocSnippetsTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
