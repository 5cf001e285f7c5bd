using Booking.BuildingBlocks.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.BuildingBlocks.Web;

/// <summary>
/// Whether the business still offers a way of signing in to its portal (email and password, or mobile and a code).
/// Implemented by PortalAuth from the business's portal settings.
/// </summary>
public interface IPortalSignInMethods
{
    ValueTask<bool> IsOfferedAsync(string method, CancellationToken cancellationToken);
}

/// <summary>
/// How a portal session's client signed in (claim <see cref="Claim"/>, set at every sign-in). A session whose method the
/// business has switched off since ends at its next request (decision 250): switching a method off is how a business
/// shuts a way in, and a session opened that way would otherwise last up to 12 hours more. The API answers 401
/// <c>unauthenticated</c> with <c>reason: sign-in-method-off</c>; the portal's pages say so in words. A session begun
/// before sessions said their method is left as it was (it ends within 12 hours).
/// </summary>
public static class PortalSignInMethod
{
    public const string Claim = "sign_in_method";
    public const string Email = "email";
    public const string Phone = "phone";

    /// <summary>The <c>reason</c> of the 401.</summary>
    public const string OffReason = "sign-in-method-off";

    /// <summary>The session's method, when it says one and the business no longer offers it; else null.</summary>
    public static async ValueTask<string?> SwitchedOffAsync(HttpContext http, System.Security.Claims.ClaimsPrincipal session, CancellationToken cancellationToken)
    {
        var method = session.FindFirst(Claim)?.Value;
        if (method is not (Email or Phone))
        {
            return null;
        }

        var methods = http.RequestServices.GetRequiredService<IPortalSignInMethods>();
        return await methods.IsOfferedAsync(method, cancellationToken) ? null : method;
    }

    /// <summary>Ends the request's portal session (the server-side ticket goes with the cookie).</summary>
    public static Task EndSessionAsync(HttpContext http) => http.SignOutAsync(AuthSchemes.Portal);

    public static ProblemException Ended(string method)
    {
        var problem = ProblemException.Unauthenticated(method == Email
            ? "The business no longer offers sign-in with email and password, so you have been signed out. Sign in another way."
            : "The business no longer offers sign-in with a mobile and a code, so you have been signed out. Sign in another way.");
        problem.Extensions["reason"] = OffReason;
        return problem;
    }
}
