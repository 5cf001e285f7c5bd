using System.ComponentModel.DataAnnotations;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.Tenancy.Domain;
using Booking.Tenancy.Features.StaffPasswordReset;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff;

/// <summary>/staff/forgot-password?name=: the ForgotStaffPassword command (same limits and answer as the API).</summary>
public sealed class ForgotPasswordModel(TenantResolver resolver, ITenantContext tenantContext, ISender sender, PasswordResetLimits limits, StaffInvitationLimits invitationLimits)
    : StaffEntryPageModel(resolver, tenantContext, sender)
{
    [BindProperty]
    public ForgotInput Input { get; set; } = new();

    public bool Sent { get; private set; }

    public int LinkMinutes => (int)limits.ResetLinkLifetime.TotalMinutes;

    /// <summary>
    /// An invited member who has not chosen a password gets their invitation again (decision 257); the answer, the same
    /// for every address, says so in general words and never which one happened.
    /// </summary>
    public int InvitationDays => (int)invitationLimits.LinkLifetime.TotalDays;

    public async Task OnGetAsync(CancellationToken ct) => await ResolveAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await ResolveAsync(ct))
        {
            return Page();
        }

        try
        {
            await Sender.Send(new ForgotStaffPassword(Input.Email) { Ip = HttpContext.ClientIp() }, ct);
            Sent = true;
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
        }

        return Page();
    }

    public sealed class ForgotInput
    {
        [Display(Name = "Email")]
        public string? Email { get; set; }
    }
}
