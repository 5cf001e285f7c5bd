using System.ComponentModel.DataAnnotations;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.Tenancy.Features.Staff;
using Booking.Tenancy.Features.StaffSession;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff;

/// <summary>
/// /staff/account: who is signed in, and changing one's own password (ChangeStaffPassword, as PUT
/// /api/v1/staff/me/password): the other devices are signed out, this one stays signed in and gets a new device cookie;
/// wrong current passwords are counted for this session, so a lockout others caused on the address does not refuse it.
/// A change of one's sign-in email waiting for its link is shown with "Call off this change" (<see cref="CallOffStaffEmailChange"/>).
/// </summary>
public sealed class AccountModel(ISender sender) : StaffPageModel
{
    protected override IReadOnlyList<string> AllowedRoles => StaffRoles.Everyone;

    public StaffMe Me { get; private set; } = null!;

    [BindProperty]
    public PasswordForm Input { get; set; } = new();

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Me = await sender.Send(new GetStaffMe(StaffId), ct);

    /// <summary>"Call off this change": the pending change of one's own sign-in email ends, its link with it (decision 236).</summary>
    public async Task<IActionResult> OnPostCallOffAsync(CancellationToken ct)
    {
        var done = await sender.Send(new CallOffStaffEmailChange(new StaffActor(StaffId, StaffRole), StaffId), ct);
        Notice = done.CalledOff is { } address
            ? $"Called off: your sign-in email stays as it is, and the link we sent to {address} no longer works."
            : "There was no change of your email waiting to be called off.";
        return Redirect("/staff/account");
    }

    public async Task<IActionResult> OnPostAsync([FromServices] TrustedDevices devices, CancellationToken ct)
    {
        try
        {
            var set = await sender.Send(new ChangeStaffPassword(Input.CurrentPassword, Input.NewPassword)
            {
                StaffId = StaffId,
                CurrentSession = PostgresTicketStore.CurrentKey(HttpContext, AuthSchemes.Staff),
            }, ct);
            devices.Keep(HttpContext, DeviceArea.Staff, set.DeviceToken);
            Notice = "Password changed. Any other device signed in as you has been signed out.";
            return Redirect("/staff/account");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
            Input = new PasswordForm(); // never echo a password back into the page
            Me = await sender.Send(new GetStaffMe(StaffId), ct);
            return Page();
        }
    }

    public sealed class PasswordForm
    {
        [Display(Name = "Current password")]
        public string? CurrentPassword { get; set; }

        [Display(Name = "New password")]
        public string? NewPassword { get; set; }
    }
}
