package dev.banyan.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.Test;

import dev.banyan.storage.api.TagMatcher;

/** [S17] Matchers follow Prometheus: absent tags match as "", regular expressions are anchored RE2. */
public class TagMatcherTest {

    @Test
    public void anAbsentTagMatchesAsTheEmptyString() {
        Map<String, String> tags = Map.of("job", "api");
        assertTrue(TagMatcher.equal("zone", "").matches(tags));
        assertFalse(TagMatcher.notEqual("zone", "").matches(tags));
        assertTrue(TagMatcher.notEqual("zone", "eu").matches(tags));
        assertTrue(TagMatcher.regex("zone", "eu|").matches(tags));
        assertFalse(TagMatcher.regex("zone", "eu.*x").matches(tags));
        assertTrue(TagMatcher.notRegex("zone", ".+").matches(tags));
    }

    @Test
    public void regularExpressionsAreAnchoredAtBothEnds() {
        assertFalse(TagMatcher.regex("a", "b").matches("abc"));
        assertTrue(TagMatcher.regex("a", "a.c").matches("abc"));
        assertTrue(TagMatcher.regex("a", "x|abc").matches("abc"));
        assertFalse(TagMatcher.regex("a", "x|ab").matches("abc"));
        assertTrue(TagMatcher.notRegex("a", "ab").matches("abc"));
    }

    @Test
    public void re2SyntaxIsTranslatedAndJavaOnlySyntaxIsRefused() {
        assertTrue(TagMatcher.regex("a", "(?P<n>[[:digit:]]+)x").matches("123x"));
        assertTrue(TagMatcher.regex("a", "[a[]+").matches("a[a"));
        assertTrue(TagMatcher.regex("a", "(?i)HOST_1").matches("host_1"));
        for (String javaOnly : new String[] {"a(?=b)", "a(?!b)", "(?<=a)b", "(a)\\1", "a++", "(?>a)"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TagMatcher.regex("a", javaOnly));
            assertTrue(javaOnly + ": " + e.getMessage(), e.getMessage().contains("RE2") || e.getMessage().contains("invalid"));
        }
        assertEquals("job=~\"a\\\\.b\"", TagMatcher.regex("job", "a\\.b").toString());
    }
}
