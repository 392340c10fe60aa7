import { Router } from 'express';

const router = Router();

router.get('/daily', (req, res) => res.json([]));

export default router;
