using PassTrack.Contracts;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace PassTrack.Dashboard.Access;

/// <summary>How a sign-in ended. Everything but success looks the same to the person signing in.</summary>
public enum SignInOutcome
{
    SignedIn,
    MustChangePassword,
    Refused,
}

/// <summary>Creating users with temporary passwords, the emergency reset, and sign-in that never says which user names exist.</summary>
public sealed partial class Accounts(
    UserManager<DistrictUser> users,
    SignInManager<DistrictUser> signIn,
    IPasswordHasher<DistrictUser> hasher,
    AccessDb db,
    ILogger<Accounts> logger)
{
    /// <summary>Creates a user with a temporary password (returned once) that must be changed at the first sign-in.</summary>
    public async Task<(DistrictUser User, string TemporaryPassword)> CreateAsync(string userName, string displayName, string role, IEnumerable<(string Building, string? Room)> scopes)
    {
        if (!Roles.All.Contains(role))
        {
            throw new ArgumentException($"'{role}' is not a role.", nameof(role));
        }
        var user = new DistrictUser { UserName = userName, DisplayName = displayName, MustChangePassword = true };
        var password = TemporaryPassword();
        Check(await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, role));
        foreach (var (building, room) in scopes)
        {
            db.Scopes.Add(new UserScope { UserId = user.Id, BuildingId = building, RoomId = room });
        }
        await db.SaveChangesAsync();
        LogCreated(userName, role);
        return (user, password);
    }

    /// <summary>
    /// Whether <paramref name="by"/> may manage (reset, or see in the user list) the user: a Superadmin anyone; an Admin
    /// only users below Admin whose every scope is one of the Admin's buildings, so that an Admin can never take over
    /// a Superadmin, another Admin, or anyone in a building that is not theirs.
    /// </summary>
    public async Task<bool> MayManageAsync(Viewer by, DistrictUser user)
    {
        if (by.DistrictWide)
        {
            return true;
        }
        if (by.Role != Roles.Admin || user.Id == by.UserId)
        {
            return false;
        }
        var roles = await users.GetRolesAsync(user);
        if (roles.Any(r => r is Roles.Superadmin or Roles.Admin))
        {
            return false;
        }
        var buildings = await db.Scopes.Where(s => s.UserId == user.Id).Select(s => s.BuildingId).ToListAsync();
        return buildings.Count > 0 && buildings.All(by.Buildings.Contains);
    }

    /// <summary>
    /// An administrator's emergency reset: a new temporary password, the lockout lifted, every session ended. Null when
    /// the user does not exist or is not <paramref name="by"/>'s to manage (the same answer, so ids cannot be probed).
    /// </summary>
    public async Task<string?> ResetAsync(string userId, Viewer by)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null || !await MayManageAsync(by, user))
        {
            LogResetRefused(userId, by.UserName);
            return null;
        }
        var byUserName = by.UserName;
        var password = TemporaryPassword();
        Check(await users.RemovePasswordAsync(user));
        Check(await users.AddPasswordAsync(user, password));
        user.MustChangePassword = true;
        Check(await users.UpdateAsync(user));
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await users.UpdateSecurityStampAsync(user);
        LogReset(user.UserName ?? userId, byUserName);
        return password;
    }

    public async Task<SignInOutcome> SignInAsync(string userName, string password, string? from)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            // The same slow hash as a real check, so an unknown name takes as long as a wrong password.
            hasher.HashPassword(new DistrictUser(), password);
            LogRefused(WireText.Printable(userName, 64), from);
            return SignInOutcome.Refused;
        }
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            LogRefused(WireText.Printable(userName, 64), from);
            if (result.IsLockedOut)
            {
                LogLockedOut(WireText.Printable(userName, 64));
            }
            return SignInOutcome.Refused;
        }
        LogSignedIn(user.UserName!, from);
        return user.MustChangePassword ? SignInOutcome.MustChangePassword : SignInOutcome.SignedIn;
    }

    public async Task<IdentityResult> ChangePasswordAsync(DistrictUser user, string current, string replacement)
    {
        var result = await users.ChangePasswordAsync(user, current, replacement);
        if (result.Succeeded)
        {
            user.MustChangePassword = false;
            await users.UpdateAsync(user);
            await signIn.RefreshSignInAsync(user);
        }
        return result;
    }

    private static string TemporaryPassword() => "Tmp-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y');

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    [LoggerMessage(1, LogLevel.Information, "User {UserName} created as {Role}, with a temporary password")]
    private partial void LogCreated(string userName, string role);

    [LoggerMessage(2, LogLevel.Warning, "Emergency password reset of {UserName} by {By}")]
    private partial void LogReset(string userName, string by);

    [LoggerMessage(6, LogLevel.Warning, "Password reset of user {UserId} refused to {By}: no such user, or not theirs to manage")]
    private partial void LogResetRefused(string userId, string by);

    [LoggerMessage(3, LogLevel.Warning, "Sign-in refused for '{UserName}' from {From}")]
    private partial void LogRefused(string userName, string? from);

    [LoggerMessage(4, LogLevel.Warning, "User '{UserName}' is locked out after repeated failed sign-ins")]
    private partial void LogLockedOut(string userName);

    [LoggerMessage(5, LogLevel.Information, "{UserName} signed in from {From}")]
    private partial void LogSignedIn(string userName, string? from);
}
