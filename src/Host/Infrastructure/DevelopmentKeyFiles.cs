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
    /// Writes <paramref name="bytes"/> at <paramref name="path"/> unless a file is there; false when one was. Written to a
    /// file of its own first and then linked into place, so apps starting at once (tests) all end up with the one that
    /// won and none with a secret that was replaced. Readable by its owner only.
    /// </summary>
    public static bool CreateOnce(string path, byte[] bytes)
    {
        if (File.Exists(path))
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
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
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false; // another process made it first: theirs is the one
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
