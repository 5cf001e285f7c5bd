using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Booking.BuildingBlocks.Security;

/// <summary>
/// A password-reset link on its way to the email that carries it: the module that makes the link
/// (PortalAuth, Tenancy) puts it in its event encrypted with ASP.NET Core Data Protection under a purpose of its own,
/// and Notifications decrypts it only while it renders the email. So the outbox payload, the Hangfire job's arguments
/// and the queued message's content hold ciphertext, never a link that works; once the email has gone, Notifications
/// replaces even that by <c>[link removed after sending]</c>.
/// </summary>
public static class ProtectedResetLinks
{
    /// <summary>The purpose of the protector; a value protected for any other purpose (a cookie) does not open here.</summary>
    public const string Purpose = "Booking.PasswordResetLinks.v1";

    public static string Protect(IDataProtectionProvider protection, string url) =>
        protection.CreateProtector(Purpose).Protect(url);

    /// <summary>The link, or null when the value is not one this deployment's keys protected for this purpose.</summary>
    public static string? Unprotect(IDataProtectionProvider protection, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            return protection.CreateProtector(Purpose).Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
