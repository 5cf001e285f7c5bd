using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Contracts;
using Booking.Tenancy.Data;
using Booking.Tenancy.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.Staff;

/// <summary>
/// The reader's diaries, worked out once per request (scoped): an owner's or admin's session role is enough (a changed
/// role ends that person's sessions); a practitioner's diaries are read from their row, one small query a request.
/// </summary>
public sealed class StaffDiaryAccess(IStaffContext staff, TenancyDbContext db)
{
    private Task<DiaryAccess>? known;

    public Task<DiaryAccess> GetAsync(CancellationToken cancellationToken) => known ??= ReadAsync(cancellationToken);

    private async Task<DiaryAccess> ReadAsync(CancellationToken cancellationToken)
    {
        if (staff.Current is not { } reader)
        {
            return DiaryAccess.None;
        }

        if (StaffRoles.Setup.Contains(reader.Role))
        {
            return DiaryAccess.Every;
        }

        var member = await db.Staff.AsNoTracking().Where(s => s.Id == reader.Id)
            .Select(s => new { s.Role, s.DiaryIds }).FirstOrDefaultAsync(cancellationToken);
        return member switch
        {
            null => DiaryAccess.None, // removed meanwhile (their sessions are ending)
            _ when StaffRoles.Setup.Contains(member.Role) => DiaryAccess.Every,
            // An id of a diary that no longer exists matches nothing: the readers intersect with Roster's diaries.
            _ => new DiaryAccess(member.DiaryIds.ToHashSet()),
        };
    }
}

public sealed class GetDiaryAccessHandler(StaffDiaryAccess access) : IQueryHandler<GetDiaryAccess, DiaryAccess>
{
    public async ValueTask<DiaryAccess> Handle(GetDiaryAccess query, CancellationToken cancellationToken) =>
        await access.GetAsync(cancellationToken);
}
