package dev.banyan.storage.internal.fs;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Says what went wrong with a file in the operating system's words. The JDK's file exceptions
 * often carry only the path as their message ({@code AccessDeniedException: /data/g}), which
 * reads like no reason at all once a caller has already named the file.
 */
public final class FileErrors {

    private FileErrors() {
    }

    /** The reason of a failure, e.g. {@code Permission denied} or {@code No space left on device}. */
    public static String describe(Throwable e) {
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
