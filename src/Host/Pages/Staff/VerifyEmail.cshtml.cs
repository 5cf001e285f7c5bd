using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Mediator;

namespace Booking.Host.Pages.Staff;

/// <summary>/staff/verify-email: the same page as <see cref="ConfirmEmailModel"/> (decision 236), at the address the links that prove a sign-in email name.</summary>
public sealed class VerifyEmailModel(TenantResolver resolver, ITenantContext tenantContext, ISender sender)
    : StaffEmailLinkPageModel(resolver, tenantContext, sender)
{
    protected override string Path => "/staff/verify-email";
}
