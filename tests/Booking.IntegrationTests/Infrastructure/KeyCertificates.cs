using Booking.Host.Infrastructure;

namespace Booking.IntegrationTests.Infrastructure;

/// <summary>
/// Certificates the test apps encrypt their Data Protection keys with (<see cref="KeyRingProtection"/>): made on the
/// fly in a folder of this run's own, deleted when the run ends, so a clean clone needs nothing set up. Every app shares
/// <see cref="Shared"/> unless a test gives it another (KeyRingEncryptionTests).
/// </summary>
public static class KeyCertificates
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "booking-test-keys", Guid.NewGuid().ToString("N")[..12]);
    private static readonly Lazy<string> SharedPath = new(() => New("shared"));

    static KeyCertificates()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
    }

    public static string Shared => SharedPath.Value;

    /// <summary>A new certificate file (with <paramref name="password"/> when given).</summary>
    public static string New(string name, string? password = null)
    {
        var path = Path.Combine(Folder, $"{name}-{Guid.NewGuid():N}.pfx");
        KeyRingProtection.CreateCertificateFile(path, password);
        return path;
    }
}
