package dev.banyan.initerror;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.junit.Test;

public class PermanentErrorsTest {

    /** Stands in for a producer's sentinel type, such as the storage engine's version error. */
    static final class IncompatibleThing extends Exception {
        IncompatibleThing(String message) {
            super(message);
        }
    }

    /** A type that declares itself, with a configurable verdict. */
    static final class SelfDeclared extends RuntimeException implements Permanent {
        private final boolean permanent;

        SelfDeclared(boolean permanent, Throwable cause) {
            super("self-declared " + permanent, cause);
            this.permanent = permanent;
        }

        @Override
        public boolean isPermanent() {
            return permanent;
        }
    }

    @Test
    public void e1_asPermanentKeepsMessageAndCause() {
        IOException original = new IOException("incompatible version 1.3.0");
        PermanentException marked = PermanentErrors.asPermanent(original);
        assertEquals("incompatible version 1.3.0", marked.getMessage());
        assertSame(original, marked.getCause());
        assertTrue(PermanentErrors.isPermanent(marked));
    }

    @Test
    public void e1_asPermanentOfNullIsNull() {
        assertNull(PermanentErrors.asPermanent(null));
    }

    @Test
    public void e2_nullAndPlainExceptionsAreNotPermanent() {
        assertFalse(PermanentErrors.isPermanent(null));
        assertFalse(PermanentErrors.isPermanent(new IOException("disk busy")));
        assertFalse(PermanentErrors.isPermanent(new RuntimeException("wrapper", new IOException("inner"))));
    }

    @Test
    public void e3_nestedCausesAreWalked() {
        Throwable deep = PermanentErrors.asPermanent(new IOException("bad segment"));
        for (int i = 0; i < 50; i++) {
            deep = new RuntimeException("level " + i, deep);
        }
        assertTrue(PermanentErrors.isPermanent(deep));
    }

    @Test
    public void e3_suppressedExceptionsAreWalked() {
        IOException closeFailure = new IOException("close failed");
        closeFailure.addSuppressed(new IllegalStateException("other"));
        closeFailure.addSuppressed(PermanentErrors.asPermanent(new IOException("bad version")));
        assertTrue(PermanentErrors.isPermanent(new RuntimeException("open failed", closeFailure)));
    }

    @Test
    public void e3_jdkWrappersAreWalked() {
        Throwable permanent = PermanentErrors.asPermanent(new IOException("bad version"));
        assertTrue(PermanentErrors.isPermanent(new ExecutionException(permanent)));
        assertTrue(PermanentErrors.isPermanent(new CompletionException(permanent)));
        assertTrue(PermanentErrors.isPermanent(new InvocationTargetException(permanent)));
        assertTrue(PermanentErrors.isPermanent(new UndeclaredThrowableException(permanent)));
        assertTrue(PermanentErrors.isPermanent(
                new ExecutionException(new CompletionException(new UndeclaredThrowableException(
                        new InvocationTargetException(permanent))))));
    }

    @Test
    public void e3_failedFutureIsRecognised() {
        CompletableFuture<Void> future = CompletableFuture.runAsync(() -> {
            throw PermanentErrors.asPermanent(new IOException("bad version"));
        });
        try {
            future.get();
        } catch (Exception e) {
            assertTrue(PermanentErrors.isPermanent(e));
            return;
        }
        throw new AssertionError("the future should have failed");
    }

    @Test(timeout = 5_000)
    public void e3_cyclicCauseChainTerminates() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertFalse(PermanentErrors.isPermanent(a));

        RuntimeException c = new RuntimeException("c");
        RuntimeException d = new RuntimeException("d", c);
        c.addSuppressed(d);
        assertFalse(PermanentErrors.isPermanent(d));

        a.addSuppressed(PermanentErrors.asPermanent(new IOException("found after the cycle")));
        assertTrue(PermanentErrors.isPermanent(b));
    }

    @Test
    public void e4_innerSentinelStaysFindable() {
        IncompatibleThing sentinel = new IncompatibleThing("incompatible version 1.3.0");
        Throwable wrapped = new ExecutionException(new RuntimeException("init failed",
                PermanentErrors.asPermanent(sentinel)));
        assertSame(sentinel, PermanentErrors.find(wrapped, IncompatibleThing.class).orElseThrow());
        assertTrue(PermanentErrors.find(wrapped, InterruptedException.class).isEmpty());
        assertTrue(PermanentErrors.find(null, IncompatibleThing.class).isEmpty());
    }

    @Test
    public void e5_selfDeclaredTypeIsRecognised() {
        assertTrue(PermanentErrors.isPermanent(new RuntimeException(new SelfDeclared(true, null))));
        assertFalse(PermanentErrors.isPermanent(new SelfDeclared(false, null)));
    }

    @Test
    public void e5_firstDeclaringTypeDecides() {
        Throwable permanentInside = PermanentErrors.asPermanent(new IOException("inner"));
        assertFalse("an outer 'not permanent' verdict wins",
                PermanentErrors.isPermanent(new SelfDeclared(false, permanentInside)));
        assertTrue("an outer 'permanent' verdict wins",
                PermanentErrors.isPermanent(new SelfDeclared(true, new SelfDeclared(false, null))));
    }
}
