using System.Security.Cryptography;
using System.Text;

namespace Booking.BuildingBlocks.Security;

/// <summary>The token of an emailed reset link (client portal and staff alike); only its hash is stored.</summary>
public static class ResetTokens
{
    /// <summary>256 random bits, URL-safe.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

/// <summary>
/// A reset link's lifetime and the forgot-password limits of decision 100, for staff. Read from the same
/// <c>PortalAuth</c> settings the client portal uses (<c>ResetLinkLifetime</c>, <c>ResetEmailsPerAddressPerHour</c>,
/// <c>ResetRequestsPerIpPerHour</c>), so staff and client links live as long and are limited alike.
/// </summary>
public sealed class PasswordResetLimits
{
    public const string Section = "PortalAuth";

    public TimeSpan ResetLinkLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Requests handed on per address an hour; more still answer 202 and send nothing (no inbox flooding).</summary>
    public int ResetEmailsPerAddressPerHour { get; set; } = 3;

    /// <summary>Requests per IP an hour in one business; more → rate-limited (one sender spraying addresses).</summary>
    public int ResetRequestsPerIpPerHour { get; set; } = 20;
}
