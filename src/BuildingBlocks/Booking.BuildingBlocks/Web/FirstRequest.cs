using System.Security.Claims;
using Booking.BuildingBlocks.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Booking.BuildingBlocks.Web;

/// <summary>
/// Whether a client who joined through the phone new-client flow still owes their first booking request (until then
/// the portal opens only the booking flow). Implemented by PortalAuth, which keeps the state on the client.
/// </summary>
public interface IFirstRequestGate
{
    ValueTask<bool> IsAwaitingAsync(Guid clientId, CancellationToken cancellationToken);
}

/// <summary>Marks a portal-session route a client may use before filing their first booking request.</summary>
public sealed record OpenBeforeFirstRequestMetadata;

/// <summary>
/// The portal session of a client who joined through the new-client flow carries <see cref="BookingClaims.AwaitingFirstRequest"/>
/// until they file their first booking request. Only such sessions ask <see cref="IFirstRequestGate"/> anything, so a
/// client's usual request costs no extra round trip.
/// </summary>
public static class FirstRequest
{
    public const string Detail = "Choose a time for your first visit and send your booking request to finish joining; then the rest of the portal opens.";

    /// <summary>403 <c>forbidden</c>, told apart from a role refusal by its <c>reason</c>.</summary>
    public const string Reason = "first-booking-request";

    public static ProblemException Required()
    {
        var problem = new ProblemException(ProblemKinds.Forbidden, 403, "Finish your booking request first", Detail);
        problem.Extensions["reason"] = Reason;
        return problem;
    }

    public static bool IsAwaiting(ClaimsPrincipal? user) => user?.HasClaim(c => c.Type == BookingClaims.AwaitingFirstRequest) == true;

    /// <summary>The booking flow's routes: the client's own details, adding a pet, booking, signing out.</summary>
    public static TBuilder OpenBeforeFirstRequest<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new OpenBeforeFirstRequestMetadata());

    /// <summary>
    /// The request's session still says "awaiting": true while the client's row does too (a session signed in before
    /// another device filed the request learns it here). A session whose client has filed loses the mark.
    /// </summary>
    public static async ValueTask<bool> StillAwaitingAsync(HttpContext http, IFirstRequestGate gate, Guid clientId, CancellationToken cancellationToken)
    {
        if (await gate.IsAwaitingAsync(clientId, cancellationToken))
        {
            return true;
        }

        await LiftAsync(http);
        return false;
    }

    /// <summary>
    /// Takes the mark off the request's portal session, in place (same session id: the ticket store renews a session
    /// only for its own client and business), so the client's next request pays nothing. Call after the booking request
    /// is filed, before the response starts.
    /// </summary>
    public static async Task LiftAsync(HttpContext http)
    {
        var auth = await http.AuthenticateAsync(AuthSchemes.Portal);
        if (!auth.Succeeded || !IsAwaiting(auth.Principal))
        {
            return;
        }

        var identity = new ClaimsIdentity(
            auth.Principal.Claims.Where(c => c.Type != BookingClaims.AwaitingFirstRequest).Select(c => new Claim(c.Type, c.Value)),
            AuthSchemes.Portal,
            BookingClaims.Name,
            BookingClaims.Role);
        await http.SignInAsync(AuthSchemes.Portal, new ClaimsPrincipal(identity), auth.Properties);
        if (http.User.Identity?.AuthenticationType == AuthSchemes.Portal)
        {
            http.User = new ClaimsPrincipal(identity);
        }
    }
}
