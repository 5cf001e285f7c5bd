using System.ComponentModel.DataAnnotations;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.Tenancy.Features.StaffPasswordReset;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff;

/// <summary>/staff/forgot-password?name=: the ForgotStaffPassword command (same limits and answer as the API).</summary>
public sealed class ForgotPasswordModel(TenantResolver resolver, ITenantContext tenantContext, ISender sender, PasswordResetLimits limits)
    : StaffEntryPageModel(resolver, tenantContext, sender)
{
    [BindProperty]
    public ForgotInput Input { get; set; } = new();

    public bool Sent { get; private set; }

    public int LinkMinutes => (int)limits.ResetLinkLifetime.TotalMinutes;

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
