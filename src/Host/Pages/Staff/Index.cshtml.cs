using Booking.BuildingBlocks.Web;
using Booking.Services.Features.Readiness;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff;

/// <summary>
/// /staff: the start page after sign-in. Practitioners go to the diary. Owners and admins go to Setup → Client Portal (the
/// seed's "Setup" menu) while the business is not ready to take bookings; once it is, setup is done and the day's work is
/// what they came for: Requests when requests are waiting, else the diary.
/// </summary>
public sealed class IndexModel(ISender sender) : StaffPageModel
{
    protected override IReadOnlyList<string> AllowedRoles => StaffRoles.Everyone;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanChangeSetup)
        {
            return Redirect("/staff/diary");
        }

        if (!(await sender.Send(new GetBookingReadiness(), ct)).Ready)
        {
            return Redirect("/staff/setup/portal");
        }

        return Redirect(await OpenRequestCountAsync() > 0 ? "/staff/requests" : "/staff/diary");
    }
}
