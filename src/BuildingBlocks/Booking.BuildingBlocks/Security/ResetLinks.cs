using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Booking.BuildingBlocks.Security;

/// <summary>The token of an emailed reset link (client portal and staff alike); only its hash is stored.</summary>
public static class ResetTokens
{
    /// <summary>256 random bits, URL-safe.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

/// <summary>
/// A reset link's lifetime and the forgot-password limits of decision 100, for clients and staff alike: one set of
/// <c>PortalAuth</c> settings (<c>ResetLinkLifetime</c>, <c>ResetEmailsPerAddressPerHour</c>,
/// <c>ResetRequestsPerIpPerHour</c>), so both kinds of link live as long and are limited alike.
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

public static class PasswordResetLimitsRegistration
{
    /// <summary>Registers <see cref="PasswordResetLimits"/> once, whichever module asks first (PortalAuth and Tenancy both do).</summary>
    public static IServiceCollection AddPasswordResetLimits(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(PasswordResetLimits.Section).Get<PasswordResetLimits>() ?? new PasswordResetLimits());
        return services;
    }
}
