namespace Booking.Host.Infrastructure;

/// <summary>
/// Development's local secrets (the Data Protection certificate, the one-time codes' key), made on first run under the
/// repository's <c>.data/keys/</c> (ignored by git) and read on every run after, so <c>dotnet run</c> needs no setup.
/// </summary>
public static class DevelopmentKeyFiles
{
    /// <summary>Where Development keeps <paramref name="fileName"/>: beside the embedded database, under the repository's .data/.</summary>
    public static string PathOf(string contentRoot, string fileName) =>
        Path.Combine(DatabaseSetup.RepositoryRoot(contentRoot), ".data", "keys", fileName);

    /// <summary>
    /// Writes <paramref name="bytes"/> at <paramref name="path"/> unless a file is there; false when one was. Apps starting
    /// at once (tests: several in one process, and test projects side by side) take turns through an exclusive lock on a
    /// lock file beside it, then look again, so exactly one writes and every one reads the file that one wrote. The file is
    /// written whole under another name and moved into place, so nobody reads it half-written. The lock alone decides: a
    /// move "without overwrite" checks and renames in two steps, which let several apps each put their own key in place
    /// (three keys among eight apps, once, on a loaded machine). Readable by its owner only.
    /// </summary>
    public static bool CreateOnce(string path, byte[] bytes)
    {
        if (File.Exists(path))
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var lockPath = $"{path}.lock";
        for (var attempt = 0; ; attempt++)
        {
            FileStream held;
            try
            {
                // FileShare.None: an exclusive advisory lock (flock) on Unix, an exclusive open on Windows.
                held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 600)
            {
                if (File.Exists(path))
                {
                    return false; // the one holding the lock has written it
                }

                Thread.Sleep(10);
                continue;
            }

            using (held)
            {
                // The lock file goes while still held (whoever opens a new one after this finds the key in place), so
                // none is left beside the key.
                var made = !File.Exists(path);
                if (made)
                {
                    Write(path, bytes);
                }

                try
                {
                    File.Delete(lockPath);
                }
                catch (IOException)
                {
                    // Windows does not delete a file open without delete sharing: the lock file stays, harmless (the
                    // next start locks it, finds the key and leaves it).
                }

                return made;
            }
        }
    }

    private static void Write(string path, byte[] bytes)
    {
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
            }

            File.Move(temp, path, overwrite: false);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
