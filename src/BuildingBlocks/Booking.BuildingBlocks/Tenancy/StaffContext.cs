namespace Booking.BuildingBlocks.Tenancy;

/// <summary>The signed-in staff member of a request: their id and the role their session carries.</summary>
public sealed record StaffInfo(Guid Id, string Role);

/// <summary>
/// Who is asking on a staff route or page, set with the tenant from the staff session (TenantResolutionMiddleware,
/// StaffPageModel); null elsewhere (portal routes, jobs). Reads that depend on the reader (a practitioner's diaries)
/// start here.
/// </summary>
public interface IStaffContext
{
    StaffInfo? Current { get; }

    void Set(StaffInfo staff);
}

public sealed class StaffContext : IStaffContext
{
    public StaffInfo? Current { get; private set; }

    public void Set(StaffInfo staff)
    {
        ArgumentNullException.ThrowIfNull(staff);
        if (Current is not null && Current != staff)
        {
            throw new InvalidOperationException("The staff member of this request is already set to someone else.");
        }

        Current = staff;
    }
}
