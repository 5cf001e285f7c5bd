using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Web;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.Tenancy.Features.StaffPasswordReset;

public static class StaffPasswordResetEndpoints
{
    public static void MapStaffPasswordReset(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/staff/auth/forgot-password", async (ForgotStaffPassword command, ISender sender, HttpContext http, CancellationToken ct) =>
            {
                await sender.Send(command with { Ip = http.ClientIp() }, ct);
                return Results.Accepted(value: new { message = "If the address belongs to a staff member, a link to reset the password was sent." });
            })
            .WithTenantFromQuery()
            .WithName("StaffForgotPassword")
            .Answers(429, ProblemKinds.RateLimited)
            .WithTags("Staff")
            .Accepts<ForgotStaffPassword>("application/json")
            .Produces(StatusCodes.Status202Accepted);

        app.MapPost("/api/v1/staff/auth/reset-password", async (ResetStaffPassword command, ISender sender, TrustedDevices devices, HttpContext http, CancellationToken ct) =>
            {
                devices.Keep(http, DeviceArea.Staff, (await sender.Send(command, ct)).DeviceToken);
                return Results.NoContent();
            })
            .WithTenantFromQuery()
            .WithName("StaffResetPassword")
            .WithTags("Staff")
            .Accepts<ResetStaffPassword>("application/json")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem();

        // Setup → Team's "Send password reset link": the forgot-password email, sent for a team member by id. Someone
        // invited who has not chosen a password gets their invitation again instead (decision 257); `sent` says which.
        app.MapPost("/api/v1/admin/staff/{id}/send-password-reset", async (string id, ISender sender, HttpContext http, CancellationToken ct) =>
            {
                var sent = await sender.Send(new SendStaffPasswordReset(ProblemException.IdOrNotFound(id, "No such staff member."), http.ClientIp(),
                    http.User.FindFirst(BookingClaims.Role)?.Value ?? ""), ct);
                return Results.Accepted(value: new SendStaffPasswordResetAnswer(
                    sent.Sent == StaffResetSent.Invitation
                        ? "They have not chosen a password yet, so their invitation was emailed to them again instead of a reset link."
                        : "A link to reset the password was emailed to the staff member.",
                    sent.Sent, sent.Email));
            })
            .RequireStaff(StaffRoles.Setup)
            .WithName("SendStaffPasswordReset")
            .Answers(429, ProblemKinds.RateLimited)
            .WithTags("Staff")
            .Produces<SendStaffPasswordResetAnswer>(StatusCodes.Status202Accepted);
    }
}

/// <summary>
/// The answer of <c>send-password-reset</c>: <paramref name="Sent"/> is <c>password-reset</c> or <c>invitation</c> (someone
/// invited who has not chosen a password yet gets their invitation again, decision 257); <paramref name="Email"/> the
/// address it goes to.
/// </summary>
public sealed record SendStaffPasswordResetAnswer(string Message, string Sent, string Email);
