using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Features.StaffEmailConfirmation;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff;

/// <summary>
/// /staff/email-confirmation: whether the signed-in staff member's sign-in email is confirmed, and the post behind the
/// "Send the link again" button of the notice on Setup → Client Portal and Requests (<c>_EmailConfirmNotice</c>):
/// <see cref="SendMyEmailConfirmation"/>, as <c>POST /api/v1/staff/me/email-confirmation/send</c>, only ever to the
/// caller's own address. It goes back to the page the button was on, which says what happened.
/// </summary>
public sealed class EmailConfirmationModel(ISender sender) : StaffPageModel
{
    public const string SentKey = "EmailConfirmationSent";
    public const string ProblemKey = "EmailConfirmationProblem";

    protected override IReadOnlyList<string> AllowedRoles => StaffRoles.Everyone;

    public MyEmailConfirmation Me { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Me = await sender.Send(new GetMyEmailConfirmation(StaffId), ct);

    public async Task<IActionResult> OnPostAsync(string? returnTo, CancellationToken ct)
    {
        try
        {
            TempData[SentKey] = (await sender.Send(new SendMyEmailConfirmation(StaffId), ct)).Email;
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status429TooManyRequests)
        {
            TempData[ProblemKey] = ex.Detail;
        }
        catch (FluentValidation.ValidationException ex)
        {
            TempData[ProblemKey] = string.Join(" ", ex.Errors.Select(e => e.ErrorMessage));
        }

        // Only back to a page that shows the notice; anything else typed in comes here.
        var back = returnTo is "/staff/setup/portal" or "/staff/requests" ? returnTo : "/staff/email-confirmation";
        return Redirect(back + "#email-unconfirmed");
    }
}
