using System.Security.Cryptography;
using System.Text;

namespace Booking.Host.Infrastructure;

/// <summary>
/// The key one-time codes are hashed with (<c>PortalAuth:CodeHashKey</c>, PortalAuth's <c>SignInCodes</c>). Every instance
/// must share it: without it each process makes its own, and a code texted by one instance (or before a restart) is
/// refused by another. In Development with none configured, one is made on first run at <c>.data/keys/code-hash.key</c>,
/// beside the Data Protection certificate, and read on every run after, so a developer's run needs no setup and warns of
/// nothing. Elsewhere nothing is made: PortalAuth warns at start when the key is missing (docs/operations.md).
/// </summary>
public static class SignInCodeKey
{
    public const string Key = "PortalAuth:CodeHashKey";

    /// <summary>In Development without <see cref="Key"/>: the development key file's key, put into the configuration.</summary>
    public static void UseDevelopmentKey(ConfigurationManager configuration, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment() || !string.IsNullOrWhiteSpace(configuration[Key]))
        {
            return;
        }

        configuration.AddInMemoryCollection([new(Key, ReadOrCreate(DevelopmentPath(environment.ContentRootPath)))]);
    }

    public static string DevelopmentPath(string contentRoot) => DevelopmentKeyFiles.PathOf(contentRoot, "code-hash.key");

    /// <summary>The key kept at <paramref name="path"/> (32 random bytes, base64), made first when there is none.</summary>
    public static string ReadOrCreate(string path)
    {
        if (DevelopmentKeyFiles.CreateOnce(path, Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))))
        {
            Console.WriteLine($"One-time codes are hashed with a new development key: {path}");
        }

        var key = File.ReadAllText(path).Trim();
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(key);
        }
        catch (FormatException)
        {
            bytes = [];
        }

        if (bytes.Length < 32)
        {
            throw new InvalidOperationException($"{path} does not hold a key of at least 32 bytes in base64. Delete it: a new one is made on the next run.");
        }

        return key;
    }
}
