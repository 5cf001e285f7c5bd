using Microsoft.AspNetCore.WebUtilities;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// The one rule for a <c>returnUrl</c> a portal page follows after signing in, joining or the phone new-client step:
/// a local path under <c>/ol/</c> of this business (its <c>?name=</c> once, this business's slug in any case), with no
/// dot segments (<c>/ol/../staff</c>) and no backslashes. Anything else (an absolute or protocol-relative address,
/// another business's page, a page off the portal) is dropped without a word, and the page goes to its usual next step.
/// </summary>
public static class PortalReturnUrl
{
    /// <summary><paramref name="returnUrl"/> when it is a page of the business <paramref name="slug"/>'s portal, else null.</summary>
    public static string? Accept(string? returnUrl, string slug)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 2000
            || !returnUrl.StartsWith("/ol/", StringComparison.Ordinal)
            || returnUrl.Contains('\\', StringComparison.Ordinal)
            || returnUrl.Any(char.IsControl))
        {
            return null;
        }

        var (path, query) = Parts(returnUrl);
        var decoded = Uri.UnescapeDataString(path); // "%2e%2e" is ".." to a browser

        if (decoded.Contains('\\', StringComparison.Ordinal) || decoded.Contains("//", StringComparison.Ordinal)
            || decoded.Split('/').Any(segment => segment is "." or ".."))
        {
            return null;
        }

        var names = query.GetValueOrDefault("name");
        return names.Count == 1 && string.Equals(names[0], slug, StringComparison.OrdinalIgnoreCase) ? returnUrl : null;
    }

    /// <summary>
    /// Why a sign-in page was sent a return address, said above its form: from the path of an address
    /// <see cref="Accept"/> took (never the address itself), "Sign in to continue." for any other portal page, null
    /// when there is none.
    /// </summary>
    public static string? Reason(string? acceptedReturnUrl)
    {
        if (acceptedReturnUrl is null)
        {
            return null;
        }

        return Parts(acceptedReturnUrl).Path.TrimEnd('/').ToLowerInvariant() switch
        {
            "/ol/cancel" => "Sign in to cancel your appointment.",
            "/ol/appointments" => "Sign in to see your appointments.",
            "/ol/new-booking" or "/ol/new-booking/confirm" => "Sign in to book an appointment.",
            _ => "Sign in to continue.",
        };
    }

    /// <summary>
    /// A local address split as a browser reads it: the path before any <c>?</c>, and the query's parameters (empty with
    /// none); the fragment (<c>#…</c>) is not part of either.
    /// </summary>
    public static (string Path, Dictionary<string, Microsoft.Extensions.Primitives.StringValues> Query) Parts(string url)
    {
        var withoutFragment = url.Split('#', 2)[0];
        var queryAt = withoutFragment.IndexOf('?', StringComparison.Ordinal);
        return queryAt < 0
            ? (withoutFragment, new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>())
            : (withoutFragment[..queryAt], QueryHelpers.ParseQuery(withoutFragment[queryAt..]));
    }
}
