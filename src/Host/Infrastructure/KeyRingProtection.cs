using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace Booking.Host.Infrastructure;

/// <summary>
/// The Data Protection key ring is kept in PostgreSQL (<c>platform.data_protection_keys</c>), so that every instance
/// shares it; each key is stored there encrypted with an X.509 certificate that lives outside the database
/// (<c>DataProtection:CertificatePath</c>, a PKCS#12 file with its private key). A database dump alone then cannot
/// forge session cookies or read reset links. Keys written before this (plain <c>&lt;masterKey&gt;</c>) stay readable;
/// every key made from now on is encrypted. <c>DataProtection:PreviousCertificates</c> decrypt keys made under an
/// earlier certificate (rotation, docs/operations.md). In Development with no path configured, a certificate is made
/// on first run in <c>.data/keys/</c>, so <c>dotnet run</c> needs no setup; elsewhere the path is required.
/// </summary>
public static class KeyRingProtection
{
    public const string PathKey = "DataProtection:CertificatePath";
    public const string PasswordKey = "DataProtection:CertificatePassword";
    public const string PreviousKey = "DataProtection:PreviousCertificates";

    public static IDataProtectionBuilder ProtectKeysOutsideTheDatabase(this IDataProtectionBuilder builder, IConfiguration configuration, IHostEnvironment environment)
    {
        var path = configuration[PathKey];
        if (string.IsNullOrWhiteSpace(path))
        {
            if (!environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    $"Set {PathKey} (and {PasswordKey}) to a PKCS#12 certificate file with its private key: the keys that sign cookies are stored in the database encrypted with it. See docs/operations.md.");
            }

            path = DevelopmentCertificatePath(environment.ContentRootPath);
            if (CreateCertificateFile(path))
            {
                Console.WriteLine($"Data Protection keys are encrypted with a new development certificate: {path}");
            }
        }

        builder.ProtectKeysWithCertificate(Load(path, configuration[PasswordKey], PathKey));
        var previous = configuration.GetSection(PreviousKey).GetChildren()
            .Select(c => Load(c["Path"], c["Password"], $"{c.Path}:Path"))
            .ToArray();
        if (previous.Length > 0)
        {
            builder.UnprotectKeysWithAnyCertificate(previous);
        }

        return builder;
    }

    /// <summary>Where Development keeps its certificate: beside the embedded database, under the repository's .data/.</summary>
    public static string DevelopmentCertificatePath(string contentRoot) => DevelopmentKeyFiles.PathOf(contentRoot, "data-protection.pfx");

    /// <summary>
    /// Makes a self-signed RSA certificate for key encryption at <paramref name="path"/> unless a file is there; false
    /// when one was (<see cref="DevelopmentKeyFiles.CreateOnce"/>: apps starting at once all end up with the one that won).
    /// </summary>
    public static bool CreateCertificateFile(string path, string? password = null)
    {
        if (File.Exists(path))
        {
            return false;
        }

        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=Booking Data Protection keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(100));
        return DevelopmentKeyFiles.CreateOnce(path, certificate.Export(X509ContentType.Pkcs12, password));
    }

    private static X509Certificate2 Load(string? path, string? password, string key)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException($"{key} is empty: name a PKCS#12 certificate file.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, string.IsNullOrEmpty(password) ? null : password);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException($"{key}: the certificate {path} could not be read ({ex.Message}). Check the file and its password.", ex);
        }

        if (!certificate.HasPrivateKey || certificate.GetRSAPublicKey() is null)
        {
            throw new InvalidOperationException($"{key}: the certificate {path} must be an RSA certificate with its private key.");
        }

        return certificate;
    }
}
