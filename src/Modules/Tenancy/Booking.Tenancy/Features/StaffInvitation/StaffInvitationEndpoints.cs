using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Features.Staff;
using Booking.Tenancy.Features.StaffPasswordReset;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.Tenancy.Features.StaffInvitation;

public static class StaffInvitationEndpoints
{
    public static void MapStaffInvitations(this IEndpointRouteBuilder app)
    {
        // Setup → Team's "Send the invitation again": a new link, the earlier one ends.
        app.MapPost("/api/v1/admin/staff/{id}/send-invitation", async (string id, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Accepted(value: await sender.Send(new SendStaffInvitation(StaffEndpoints.Actor(http), StaffEndpoints.ParseId(id)), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("SendStaffInvitation")
            .WithTags("Staff")
            .WithSummary("Emails a team member who has not chosen a password yet a new invitation link (7 days); the earlier link stops working. "
                + "An admin may not send an owner's (`forbidden`); someone who has chosen a password is `invitation-accepted` (409).")
            .Answers(409, StaffInvitationProblems.AlreadyAcceptedKind)
            .Answers(429, ProblemKinds.RateLimited)
            .Produces<StaffInvitationSent>(StatusCodes.Status202Accepted);

        // The invitation's link sets the first password through the reset links' one redeem; this name says what it is for.
        app.MapPost("/api/v1/staff/auth/accept-invitation", async (ResetStaffPassword command, ISender sender, TrustedDevices devices, HttpContext http, CancellationToken ct) =>
            {
                devices.Keep(http, DeviceArea.Staff, (await sender.Send(command, ct)).DeviceToken);
                return Results.NoContent();
            })
            .WithTenantFromQuery()
            .WithName("StaffAcceptInvitation")
            .WithTags("Staff")
            .WithSummary("Sets an invited team member's password with the invitation's `token` (the same body and answer as `reset-password`, which "
                + "takes it too); it also proves their email. A used, replaced or expired invitation is `validation` on `token` saying which.")
            .Accepts<ResetStaffPassword>("application/json")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem();
    }
}
