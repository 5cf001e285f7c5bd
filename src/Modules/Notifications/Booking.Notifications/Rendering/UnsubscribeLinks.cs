using System.Security.Cryptography;
using System.Text;

namespace Booking.Notifications.Rendering;

/// <summary>
/// The unsubscribe link of one email to a business's notification address (<see cref="Domain.MessageKinds.Unsubscribable"/>):
/// <see cref="PageUrl"/> for people (the footer's "Stop these emails to …": a page that asks first), and
/// <see cref="OneClickUrl"/> for mail providers (the <c>List-Unsubscribe</c> header: RFC 8058's POST of
/// <c>List-Unsubscribe=One-Click</c>; a GET of it leads to the page).
/// </summary>
public sealed record UnsubscribeLink(string Address, string PageUrl, string OneClickUrl);

/// <summary>
/// Tokens of unsubscribe links: 32 random bytes (base64url), made when the email is sent; the message's row keeps only
/// their SHA-256 (<c>unsubscribe_token_hash</c>). Nothing encrypted with the Data Protection keys holds one, so revoking
/// the keys leaves the links in emails already sent working (decision 218 ends the links whose copies at rest were
/// encrypted with the keys; these have none).
/// </summary>
public static class UnsubscribeLinks
{
    public const string PagePath = "/staff/unsubscribe";
    public const string OneClickPath = "/api/v1/unsubscribe";

    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static UnsubscribeLink For(string origin, string slug, string address, string token)
    {
        var query = $"?name={Uri.EscapeDataString(slug)}&token={Uri.EscapeDataString(token)}";
        var root = origin.TrimEnd('/');
        return new UnsubscribeLink(address, root + PagePath + query, root + OneClickPath + query);
    }

    /// <summary>The log's note on a message not sent because its recipient unsubscribed before it went.</summary>
    public static string WithheldNote(string address) =>
        $"Not sent: {address} unsubscribed from this business's emails. To mail it again, use Ask again next to the address "
        + "(its person is sent a confirmation and must say yes), then send this again.";
}
