using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.NewClient;
using Booking.PortalAuth.Features.Register;
using Booking.PortalAuth.Features.Sessions;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.PortalAuth.Features.Phone;

/// <param name="ClaimedByEmail">
/// Only with <c>new-client</c>, and only when a client who signs in with an email typed this number at registration
/// without proving it: that email, masked ("e•••@example.com"). Left out otherwise (API.md's answer is unchanged).
/// </param>
/// <param name="ClientStatus">
/// Only with <c>signed-in</c>: <c>active</c>, or <c>pending-approval</c> while the business has not approved the client
/// (their bookings are requests it confirms or declines; <c>GET /api/v1/portal/appointments</c> lists the waiting ones as
/// <c>requested</c>).
/// </param>
/// <param name="AwaitingFirstRequest">
/// Only with <c>signed-in</c>: true for a phone new client who has not sent their first booking request yet; until they
/// do, only the booking flow answers (other client routes: 403 <c>forbidden</c>, <c>reason</c> <c>first-booking-request</c>).
/// </param>
public sealed record VerifyAnswer(
    string Outcome,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? ClaimedByEmail = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? ClientStatus = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] bool? AwaitingFirstRequest = null)
{
    /// <summary><c>signed-in</c>, with where the client stands (email sign-in answers the same two fields).</summary>
    public static VerifyAnswer SignedIn(ClientStanding standing) =>
        new("signed-in", ClientStatus: standing.Status, AwaitingFirstRequest: standing.AwaitingFirstRequest);
}

public static class PhoneEndpoints
{
    public static void MapPhoneEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/portal/auth/phone/start", async (StartPhoneSignIn command, ISender sender, HttpContext http, CancellationToken ct) =>
                Results.Accepted(value: await sender.Send(command with { Ip = http.ClientIp() }, ct)))
            .WithTenantFromQuery()
            .RequirePortalEnabled()
            .WithName("PortalPhoneStart")
            .Answers(403, ProblemKinds.Forbidden).Answers(429, ProblemKinds.RateLimited)
            .WithTags("Portal sign-in")
            .WithSummary("Send a one-time code to a mobile; the same answer whether or not the phone is on file.")
            .Accepts<StartPhoneSignIn>("application/json")
            .Produces<CodeSent>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        app.MapPost("/api/v1/portal/auth/phone/resend", async (ResendCode command, ISender sender, HttpContext http, CancellationToken ct) =>
                Results.Accepted(value: await sender.Send(command with { Ip = http.ClientIp() }, ct)))
            .WithTenantFromQuery()
            .RequirePortalEnabled()
            .WithName("PortalPhoneResend")
            .Answers(403, ProblemKinds.Forbidden).Answers(410, ProblemKinds.AttemptExpired).Answers(429, ProblemKinds.RateLimited)
            .WithTags("Portal sign-in")
            .Accepts<ResendCode>("application/json")
            .Produces<CodeSent>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        app.MapPost("/api/v1/portal/auth/phone/verify", async (VerifyCode command, ISender sender, ITenantContext tenant, NewClientTicket ticket, HttpContext http, CancellationToken ct) =>
            {
                var result = await sender.Send(command, ct);
                if (result is { ClientId: { } clientId, Standing: { } standing })
                {
                    await PortalSessions.SignInAsync(http, tenant.TenantId!.Value, clientId, standing.AwaitingFirstRequest, standing.HasPassword, PortalSessions.ByPhone, standing.SecurityStamp);
                    return Results.Ok(VerifyAnswer.SignedIn(standing));
                }

                ticket.Issue(http, tenant.TenantId!.Value, result.AttemptId);
                return Results.Ok(new VerifyAnswer(result.Outcome, result.ClaimedByEmail));
            })
            .WithTenantFromQuery()
            .RequirePortalEnabled()
            .WithName("PortalPhoneVerify")
            .Answers(400, ProblemKinds.InvalidCode).Answers(403, ProblemKinds.NotAcceptingNewClients).Answers(410, ProblemKinds.AttemptExpired)
            .WithTags("Portal sign-in")
            .WithSummary("Check the code: a phone on file signs in; an unknown phone continues to new-client. "
                + "`signed-in` also carries `clientStatus` (`active` | `pending-approval`: bookings are requests until the business "
                + "approves the client) and `awaitingFirstRequest` (a phone new client who has not sent their first booking request: "
                + "only the booking flow answers until they do). `new-client` may carry `claimedByEmail`.")
            .Accepts<VerifyCode>("application/json")
            .Produces<VerifyAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status410Gone);

        app.MapPost("/api/v1/portal/auth/new-client", async (NewClient.NewClient command, ISender sender, ITenantContext tenant, NewClientTicket ticket, HttpContext http, CancellationToken ct) =>
            {
                var client = await sender.Send(command with { AttemptId = ticket.Read(http, tenant.TenantId!.Value) }, ct);
                NewClientTicket.Clear(http);
                await PortalSessions.SignInAsync(http, tenant.TenantId!.Value, client.Id, awaitingFirstRequest: true, hasPassword: false, PortalSessions.ByPhone, securityStamp: 0); // a row this request made
                return Results.Created($"/api/v1/portal/me?name={Uri.EscapeDataString(tenant.Current!.Slug)}", client);
            })
            .WithTenantFromQuery()
            .RequirePortalEnabled()
            .WithName("PortalNewClient")
            .Answers(401, ProblemKinds.Unauthenticated).Answers(403, ProblemKinds.NotAcceptingNewClients)
            .WithTags("Portal sign-in")
            .WithSummary("After a verified unknown phone: create the client (with pets) and sign them in. A number a client who signs in with an "
                + "email only claimed (typed at registration) → `validation` on `notThatAccount` naming that email masked, unless the body says "
                + "`notThatAccount: true`; then the claim is taken off that client. Until their first booking request "
                + "is filed the session opens only the booking flow (other client routes: 403 `forbidden`, `reason` `first-booking-request`).")
            .Accepts<NewClient.NewClient>("application/json")
            .Produces<RegisteredClient>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
    }

    /// <summary>The connection's address (forwarded headers, if any, are the host's business to apply).</summary>
}
