using Booking.BuildingBlocks.Web;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff;

/// <summary>/staff: the start page after sign-in. Setup for owners and admins (the seed's "Setup" menu), the diary otherwise.</summary>
public sealed class IndexModel : StaffPageModel
{
    protected override IReadOnlyList<string> AllowedRoles => StaffRoles.Everyone;

    public IActionResult OnGet() => Redirect(CanChangeSetup ? "/staff/setup/portal" : "/staff/diary");
}
