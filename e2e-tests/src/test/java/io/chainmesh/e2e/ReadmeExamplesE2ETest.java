package io.chainmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's request examples, run as a reader would run them: every fenced {@code sh} block that calls
 * {@code curl}, in the order the README shows them, in one bash session (so {@code $KEY} and {@code $NODE} carry
 * from one block to the next), against this platform instead of {@code localhost:8080} and with a fresh tenant email.
 * A request the API answers with a non-2xx status, a problem+json body or a JSON-RPC error fails the test, so the
 * README cannot show a request the API refuses.
 */
@ExtendWith(Platform.class)
class ReadmeExamplesE2ETest {

    /** Where the README sends its requests: {@code bin/chainmesh up}'s gateway. */
    private static final String README_GATEWAY = "localhost:8080";
    private static final String README_EMAIL = "dev@acme.test";
    private static final Pattern FENCE = Pattern.compile("(?m)^```(\\S*)\\n(.*?)^```$", Pattern.DOTALL);

    record Block(int line, String language, String body) {
    }

    /**
     * Stands in for curl: runs the real one with the README's arguments, prints the body as curl would (so
     * {@code | jq} and {@code $(...)} work), and records a refused request before stopping the script. A failure
     * inside {@code $(...)} or a loop condition would not stop the script by itself, hence the kill of the shell.
     */
    private static final String PRELUDE = """
            set -euo pipefail
            readme_shell=$$
            curl() {
              local body headers status
              body=$(mktemp) headers=$(mktemp)
              status=$(command curl -sS -o "$body" -D "$headers" -w '%{http_code}' "$@") || status="curl-exit-$?"
              cat "$body"
              if [[ $status != 2?? ]] || grep -qi '^content-type: *application/problem+json' "$headers" \\
                  || { [[ "$*" == *'"jsonrpc"'* ]] && grep -q '"error"' "$body"; }; then
                { printf 'refused (%s): curl' "$status"; printf ' %q' "$@"; printf '\\n'; cat "$body"; printf '\\n'; } \\
                  >> "$README_FAILURES"
                rm -f "$body" "$headers"
                kill -TERM "$readme_shell"
                exit 1
              fi
              rm -f "$body" "$headers"
            }
            """;

    static List<Block> blocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = FENCE.matcher(markdown);
        while (m.find()) {
            int line = (int) markdown.substring(0, m.start()).lines().count() + 1;
            blocks.add(new Block(line, m.group(1), m.group(2)));
        }
        return blocks;
    }

    @Test
    void everyRequestExampleInTheReadmeWorksAsTyped() throws Exception {
        List<Block> requests = blocks(Files.readString(Platform.root().resolve("README.md"))).stream()
                .filter(b -> b.body().contains("curl")).toList();
        assertThat(requests).as("the README's request examples").isNotEmpty();
        String email = "readme-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
        StringBuilder script = new StringBuilder(PRELUDE);
        for (Block block : requests) {
            assertThat(block.language()).as("README line %d: request examples are sh blocks", block.line()).isEqualTo("sh");
            assertThat(block.body()).as("README line %d", block.line()).contains(README_GATEWAY);
            String rewritten = block.body().replace(README_GATEWAY, "127.0.0.1:" + Platform.GATEWAY_PORT)
                    .replace(README_EMAIL, email);
            // Nothing may reach a platform a developer runs on this machine.
            assertThat(rewritten).as("README line %d names another host", block.line())
                    .doesNotContain("localhost").doesNotContain(":8080");
            script.append("echo '## README line ").append(block.line()).append("' >&2\n").append(rewritten);
        }
        assertThat(script).contains(email);

        Path dir = Files.createTempDirectory("readme-examples");
        Path failures = dir.resolve("failures.txt");
        Path output = dir.resolve("output.txt");
        Files.createFile(failures);
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", script.toString()).directory(Platform.root().toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        bash.environment().put("README_FAILURES", failures.toString());
        Process p = bash.start();
        boolean exited = p.waitFor(4, TimeUnit.MINUTES);
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String refused = Files.readString(failures, StandardCharsets.UTF_8);
        String shown = tail(output);
        assertThat(refused).as("requests the API refused:\n%s\noutput:\n%s", refused, shown).isEmpty();
        assertThat(exited).as("the examples did not finish within 4 minutes; output:\n%s", shown).isTrue();
        assertThat(p.exitValue()).as("bash exit; output:\n%s", shown).isZero();
    }

    private static String tail(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        return text.length() > 8000 ? "…" + text.substring(text.length() - 8000) : text;
    }
}
