"""DB loss (Liao et al. 2020): L = L_prob + alpha * L_binary + beta * L_thresh.

- ``loss_prob``: BCE on the probability map with online hard negative mining (all positives plus the
  ``ohem_ratio`` x as many hardest negatives, inside ``prob_mask``), because text covers a small share of pixels.
- ``loss_binary``: Dice on the approximate binary map inside ``prob_mask``.
- ``loss_thresh``: L1 on the threshold map inside ``thresh_mask`` (the dilated text border).

Defaults alpha=1, beta=10, ohem_ratio=3 are the paper's. Every term stays finite (and its gradient NaN-free) for a
batch without text or with everything masked out.
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
import torch.nn.functional as F
from torch import Tensor, nn

_TARGET_KEYS = ("prob_map", "prob_mask", "thresh_map", "thresh_mask")


class DBLoss(nn.Module):
    """``forward(pred, batch)`` -> dict with ``loss`` (to backprop) and the detached terms for logging."""

    def __init__(
        self,
        alpha: float = 1.0,
        beta: float = 10.0,
        ohem_ratio: float = 3.0,
        eps: float = 1e-6,
        min_negatives: int = 100,
    ) -> None:
        super().__init__()
        if alpha < 0 or beta < 0:
            raise ValueError(f"alpha and beta must be non-negative, got alpha={alpha}, beta={beta}")
        if ohem_ratio <= 0:
            raise ValueError(f"ohem_ratio must be positive, got {ohem_ratio}")
        if eps <= 0:
            raise ValueError(f"eps must be positive, got {eps}")
        if min_negatives < 0:
            raise ValueError(f"min_negatives must be non-negative, got {min_negatives}")
        self.alpha = float(alpha)
        self.beta = float(beta)
        self.ohem_ratio = float(ohem_ratio)
        self.eps = float(eps)
        # With no positive pixel in the batch, plain 3:1 OHEM mines zero negatives and the batch teaches nothing;
        # mining at least this many keeps text-free receipts suppressing false positives.
        self.min_negatives = int(min_negatives)

    def forward(self, pred: Mapping[str, Tensor], batch: Mapping[str, Tensor]) -> dict[str, Tensor]:
        missing = [key for key in _TARGET_KEYS if key not in batch]
        if missing:
            raise KeyError(f"DB loss batch lacks {', '.join(missing)}")
        # BCE is unsafe under fp16 autocast; the loss is cheap, so always compute it in float32.
        with torch.autocast(device_type=pred["prob"].device.type, enabled=False):
            prob = _squeeze(pred["prob"], "prob").float()
            thresh = _squeeze(pred["thresh"], "thresh").float()
            binary = _squeeze(pred["binary"], "binary").float()
            targets = {key: _squeeze(batch[key], key).float() for key in _TARGET_KEYS}
            for key, value in targets.items():
                if value.shape != prob.shape:
                    raise ValueError(f"DB loss: {key} has shape {tuple(value.shape)}, prediction {tuple(prob.shape)}")
            gt, mask = targets["prob_map"], targets["prob_mask"]
            loss_prob = self._ohem_bce(prob, gt, mask)
            loss_binary = self._dice(binary, gt, mask)
            loss_thresh = self._masked_l1(thresh, targets["thresh_map"], targets["thresh_mask"])
            loss = loss_prob + self.alpha * loss_binary + self.beta * loss_thresh
        return {
            "loss": loss,
            "loss_prob": loss_prob.detach(),
            "loss_binary": loss_binary.detach(),
            "loss_thresh": loss_thresh.detach(),
        }

    def _ohem_bce(self, prob: Tensor, gt: Tensor, mask: Tensor) -> Tensor:
        positive = (gt > 0.5) & (mask > 0.5)
        negative = (gt <= 0.5) & (mask > 0.5)
        n_pos = int(positive.sum())
        n_neg = min(int(negative.sum()), max(int(n_pos * self.ohem_ratio), self.min_negatives))
        bce = F.binary_cross_entropy(prob, gt, reduction="none")
        pos_loss = (bce * positive).sum()
        neg_loss = torch.topk((bce * negative).flatten(), n_neg, sorted=False).values.sum()
        return (pos_loss + neg_loss) / (n_pos + n_neg + self.eps)

    def _dice(self, pred: Tensor, gt: Tensor, mask: Tensor) -> Tensor:
        intersection = (pred * gt * mask).sum()
        union = (pred * mask).sum() + (gt * mask).sum() + self.eps
        return 1.0 - 2.0 * intersection / union

    def _masked_l1(self, pred: Tensor, gt: Tensor, mask: Tensor) -> Tensor:
        return ((pred - gt).abs() * mask).sum() / (mask.sum() + self.eps)


def _squeeze(tensor: Tensor, name: str) -> Tensor:
    """Accepts B x H x W or B x 1 x H x W and returns B x H x W."""
    if tensor.dim() == 4 and tensor.shape[1] == 1:
        return tensor[:, 0]
    if tensor.dim() == 3:
        return tensor
    raise ValueError(f"DB loss: {name} must be B x H x W or B x 1 x H x W, got shape {tuple(tensor.shape)}")
